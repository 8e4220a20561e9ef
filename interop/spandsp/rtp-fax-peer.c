/*
 * rtp-fax-peer: SpanDSP's audio fax terminal (fax_state_t: T.30 on its own V.21/V.27ter/V.29/V.17 modems) speaking
 * G.711 in RTP over UDP, the reference peer faxd's audio fax tests and benchmarks run against (RFC 3550 §5.1,
 * RFC 3551 PCMU/PCMA; audio-fax reference §1.4 framing and pacing, §6.3 the G.711 RTP peer). audio-fax-peer.c runs the
 * same terminal in lock step over pipes, without RTP or real time.
 *
 * usage: rtp-fax-peer send|receive --file FILE.tif --bind PORT --peer PORT [options]
 *
 *   send                 send the pages of FILE.tif (any bilevel TIFF libtiff reads)
 *   receive              receive into FILE.tif
 *   --bind PORT          local UDP port
 *   --peer PORT          the far end's UDP port
 *   --host ADDR          IPv4 address of both ends (default 127.0.0.1)
 *   --calling            place the call (default for send)
 *   --answering          answer the call (default for receive)
 *   --media M            pcmu (payload type 0) or pcma (8) (default pcmu)
 *   --modems LIST        image modems the DIS/DCS may offer: v17, v29, v27ter, comma-separated (default all three)
 *   --no-ecm             do not offer or use T.30 error correction (ECM)
 *   --compression C      mh, mr or mmr: the best coding offered or used (default mmr)
 *   --ident TEXT         TSI/CSI (default SPANDSP)
 *   --loss PERCENT       drop this share of the RTP packets that arrive, before reordering (default 0)
 *   --seed N             seed of the loss pattern (default 1)
 *   --timeout SECONDS    give up after this long (default 300)
 *   --verbose            SpanDSP's T.30 and modem logs on stderr
 *
 * Sending: one packet every 20 ms on an absolute schedule (a late wake-up sends the backlog at once), 160 samples of
 * fax_tx in G.711, sequence +1 and timestamp +160 from random starts, the marker on the first packet only; the
 * terminal transmits on idle, so silence goes out as packets too and the stream never pauses.
 * Receiving: packets of the media's payload type go to fax_rx in sequence order behind a reorder window (a gap is
 * waited for up to REORDER_MS), a packet declared lost becomes fax_rx_fillin for the samples its timestamp says it
 * held, and late or duplicate packets are dropped; other payload types and malformed datagrams are counted and
 * ignored. SpanDSP's T.30 timers run on the samples fed to fax_rx, so when the far end's stream stops (or has not
 * started) silence is fed at the wall clock's pace instead.
 *
 * When the call is over it prints one JSON line on stdout, with t38-peer's fields where they mean the same:
 *   {"ok":true,"completion":0,"completionText":"OK","pagesTx":1,"pagesRx":0,"bitRate":14400,"ecm":true,
 *    "encoding":3,"xResolution":8031,"yResolution":7700,"width":1728,"length":400,"remoteIdent":"...",
 *    "datagramsDropped":0,"packetsFilledIn":0,"packetsLate":0,"datagramsIgnored":0,"seconds":31.2}
 * datagramsDropped counts --loss at work, packetsFilledIn the packets declared lost and filled in, packetsLate those
 * dropped as late or duplicate, datagramsIgnored those that were not RTP of the media's payload type.
 * Exit status: 0 when T.30 ended with T30_ERR_OK, 1 when it ended otherwise, 2 on a usage or system error.
 *
 * Build: gcc -O2 -o rtp-fax-peer rtp-fax-peer.c -lspandsp -ltiff -lm
 */
#define _POSIX_C_SOURCE 200809L
#define PEER_NAME "rtp-fax-peer"
#include "fax-call.h"

#define RTP_HEADER 12
#define RTP_VERSION 2
/* RFC 3551 Table 4. */
#define PT_PCMU 0
#define PT_PCMA 8
/* Packets of up to 60 ms are taken (a far end may use another ptime); 20 ms is what this peer sends. */
#define MAX_PACKET_SAMPLES 480
/* Packets held while a gap before them is waited for; a packet further ahead than this restarts the order. */
#define REORDER_SLOTS 32
/* How long a gap in the sequence is waited for before the packets in it are declared lost (audio-fax §1.4: 40–60 ms). */
#define REORDER_MS 60
/* A timestamp jump larger than this between packets in order is not filled in (a restarted stream), only resynced. */
#define MAX_FILL_SAMPLES 8000
/* The far end's stream counts as stopped once it is this far (1 s) behind the wall clock; silence is fed from then on.
   Well above any stall of a sender that sends its backlog at once, so a late burst is never preceded by invented
   silence. */
#define STALL_SAMPLES 8000

typedef struct {
  int present;
  uint16_t seq;
  uint32_t timestamp;
  int length;
  double arrived;
  int16_t samples[MAX_PACKET_SAMPLES];
} held_packet_t;

/* The receive side: the next sequence number and timestamp due, the packets held out of order, and counts. */
typedef struct {
  int started;
  uint16_t next_seq;
  uint32_t next_timestamp;
  held_packet_t held[REORDER_SLOTS];
  int held_count;
  /* Samples the wall clock has moved on by, less those fed to the terminal: how far the far end's stream lags. */
  long owed;
  int dropped;
  int filled_in;
  int late;
  int ignored;
} rtp_rx_t;

typedef struct {
  uint8_t payload_type;
  uint16_t seq;
  uint32_t timestamp;
  uint32_t ssrc;
  int marker;
} rtp_tx_t;

typedef struct {
  const call_options_t *options;
  int fd;
  struct sockaddr_in peer;
  int alaw;
  fax_state_t *fax;
  rtp_tx_t tx;
  rtp_rx_t rx;
  call_outcome_t outcome;
} peer_t;

/* ---- Into the terminal ---- */

static void feed(peer_t *peer, int16_t *samples, int length) {
  fax_rx(peer->fax, samples, length);
  peer->rx.owed -= length;
}

static void fill_in(peer_t *peer, int length) {
  fax_rx_fillin(peer->fax, length);
  peer->rx.owed -= length;
}

/* Hands a held packet to the terminal: a timestamp ahead of the one due means samples went missing before it. */
static void deliver(peer_t *peer, held_packet_t *packet) {
  rtp_rx_t *rx = &peer->rx;
  int32_t gap = (int32_t)(packet->timestamp - rx->next_timestamp);
  if (gap > 0 && gap <= MAX_FILL_SAMPLES) fill_in(peer, gap);
  feed(peer, packet->samples, packet->length);
  rx->next_seq = (uint16_t)(packet->seq + 1);
  rx->next_timestamp = packet->timestamp + (uint32_t)packet->length;
  packet->present = 0;
  rx->held_count--;
}

static held_packet_t *slot_of(rtp_rx_t *rx, uint16_t seq) {
  return &rx->held[seq % REORDER_SLOTS];
}

/* Delivers every held packet that is next in sequence. */
static void deliver_in_order(peer_t *peer) {
  rtp_rx_t *rx = &peer->rx;
  for (;;) {
    held_packet_t *packet = slot_of(rx, rx->next_seq);
    if (!packet->present || packet->seq != rx->next_seq) return;
    deliver(peer, packet);
  }
}

/* The held packet nearest ahead of the gap, or NULL when none is held. */
static held_packet_t *first_held(rtp_rx_t *rx) {
  for (int ahead = 1; ahead < REORDER_SLOTS && rx->held_count > 0; ahead++) {
    held_packet_t *packet = slot_of(rx, (uint16_t)(rx->next_seq + ahead));
    if (packet->present && packet->seq == (uint16_t)(rx->next_seq + ahead)) return packet;
  }
  return NULL;
}

/* Declares the packets missing before the first held one lost once it has waited REORDER_MS, or at once. */
static void give_up_gaps(peer_t *peer, double now, int at_once) {
  rtp_rx_t *rx = &peer->rx;
  for (held_packet_t *packet; (packet = first_held(rx)) != NULL;) {
    if (!at_once && now - packet->arrived < REORDER_MS / 1000.0) return;
    rx->filled_in += (uint16_t)(packet->seq - rx->next_seq);
    deliver(peer, packet);
    deliver_in_order(peer);
  }
}

/* One datagram from the far end. */
static void receive_packet(peer_t *peer, const uint8_t *in, int size, double now) {
  rtp_rx_t *rx = &peer->rx;
  int csrcs = in[0] & 0x0f;
  int header = RTP_HEADER + 4 * csrcs;
  if (size < RTP_HEADER || in[0] >> 6 != RTP_VERSION || (in[1] & 0x7f) != peer->tx.payload_type || size < header) {
    rx->ignored++;
    return;
  }
  if (in[0] & 0x10) {
    /* RFC 3550 §5.3.1: a header extension, skipped. */
    if (size < header + 4) {
      rx->ignored++;
      return;
    }
    header += 4 + 4 * ((in[header + 2] << 8) | in[header + 3]);
  }
  int end = size;
  if (in[0] & 0x20) end -= in[size - 1];
  int length = end - header;
  if (length <= 0 || length > MAX_PACKET_SAMPLES) {
    rx->ignored++;
    return;
  }
  if (lost_on_arrival(peer->options)) {
    rx->dropped++;
    return;
  }
  uint16_t seq = (uint16_t)((in[2] << 8) | in[3]);
  uint32_t timestamp = ((uint32_t)in[4] << 24) | ((uint32_t)in[5] << 16) | ((uint32_t)in[6] << 8) | in[7];
  if (!rx->started) {
    rx->started = 1;
    rx->next_seq = seq;
    rx->next_timestamp = timestamp;
  }
  int ahead = (int16_t)(seq - rx->next_seq);
  if (ahead < 0) {
    rx->late++;
    return;
  }
  if (ahead >= REORDER_SLOTS) {
    /* Far ahead: what is held goes now, and the order starts again from this packet. */
    give_up_gaps(peer, now, 1);
    rx->filled_in += (uint16_t)(seq - rx->next_seq);
    rx->next_seq = seq;
  }
  held_packet_t *packet = slot_of(rx, seq);
  if (packet->present) {
    rx->late++;
    return;
  }
  packet->present = 1;
  packet->seq = seq;
  packet->timestamp = timestamp;
  packet->length = length;
  packet->arrived = now;
  for (int i = 0; i < length; i++)
    packet->samples[i] = peer->alaw ? alaw_to_linear(in[header + i]) : ulaw_to_linear(in[header + i]);
  rx->held_count++;
  deliver_in_order(peer);
}

/* ---- Out of the terminal ---- */

static void send_packet(peer_t *peer) {
  int16_t samples[TICK_SAMPLES];
  uint8_t packet[RTP_HEADER + TICK_SAMPLES];
  int length = fax_tx(peer->fax, samples, TICK_SAMPLES);
  if (length < TICK_SAMPLES) memset(samples + length, 0, (TICK_SAMPLES - length) * sizeof samples[0]);
  rtp_tx_t *tx = &peer->tx;
  packet[0] = RTP_VERSION << 6;
  packet[1] = (uint8_t)((tx->marker ? 0x80 : 0) | tx->payload_type);
  packet[2] = (uint8_t)(tx->seq >> 8);
  packet[3] = (uint8_t)tx->seq;
  for (int i = 0; i < 4; i++) {
    packet[4 + i] = (uint8_t)(tx->timestamp >> (24 - 8 * i));
    packet[8 + i] = (uint8_t)(tx->ssrc >> (24 - 8 * i));
  }
  for (int i = 0; i < TICK_SAMPLES; i++)
    packet[RTP_HEADER + i] = peer->alaw ? linear_to_alaw(samples[i]) : linear_to_ulaw(samples[i]);
  send_datagram(peer->fd, &peer->peer, packet, sizeof packet);
  tx->marker = 0;
  tx->seq++;
  tx->timestamp += TICK_SAMPLES;
}

/* ---- The call ---- */

static void print_result(const peer_t *peer, double started) {
  const rtp_rx_t *rx = &peer->rx;
  print_call_fields(&peer->outcome);
  printf(",\"datagramsDropped\":%d,\"packetsFilledIn\":%d,\"packetsLate\":%d,\"datagramsIgnored\":%d,\"seconds\":%.3f}\n",
         rx->dropped, rx->filled_in, rx->late, rx->ignored, call_seconds(&peer->outcome, started));
  fflush(stdout);
}

static fax_state_t *start_terminal(peer_t *peer, const call_options_t *o) {
  fax_state_t *fax = fax_init(NULL, o->calling);
  if (fax == NULL) fail("fax_init failed");
  /* Silence goes out as packets too: the stream never pauses (audio-fax §1.4). */
  fax_set_transmit_on_idle(fax, 1);
  t30_state_t *t30 = fax_get_t30_state(fax);
  set_log(fax_get_logging_state(fax), o->verbose, "FAX");
  set_log(t30_get_logging_state(t30), o->verbose, "T.30");
  configure_t30(t30, o, &peer->outcome);
  return fax;
}

static int run_call(const call_options_t *o, int alaw) {
  static peer_t peer;
  peer.options = o;
  peer.alaw = alaw;
  peer.outcome.completion = -1;
  peer.fd = open_udp_socket(o, &peer.peer);
  /* RFC 3550 §5.1: random starting sequence number and timestamp, and a random SSRC. */
  srand((unsigned)(monotonic_seconds() * 1e6) ^ (unsigned)getpid());
  peer.tx = (rtp_tx_t){.payload_type = alaw ? PT_PCMA : PT_PCMU, .seq = (uint16_t)rand(),
                       .timestamp = ((uint32_t)rand() << 16) ^ (uint32_t)rand(),
                       .ssrc = ((uint32_t)rand() << 16) ^ (uint32_t)rand(), .marker = 1};
  peer.fax = start_terminal(&peer, o);
  static int16_t silence[TICK_SAMPLES];
  double started = monotonic_seconds();
  double tick = started;
  int cancelled = 0;
  for (;;) {
    tick += TICK_MS / 1000.0;
    uint8_t datagram[2048];
    for (int size; (size = receive_before(peer.fd, tick, datagram, sizeof datagram)) >= 0;)
      receive_packet(&peer, datagram, size, monotonic_seconds());
    give_up_gaps(&peer, monotonic_seconds(), 0);
    peer.rx.owed += TICK_SAMPLES;
    if (peer.rx.owed > STALL_SAMPLES) feed(&peer, silence, TICK_SAMPLES);
    /* A far end running fast builds no credit beyond the stall allowance. */
    if (peer.rx.owed < -STALL_SAMPLES) peer.rx.owed = -STALL_SAMPLES;
    send_packet(&peer);
    double now = monotonic_seconds();
    if (peer.outcome.finished && now - peer.outcome.finished_at > DRAIN_MS / 1000.0) break;
    if (!cancelled && now - started > o->timeout_s) {
      /* Ends the session the way a dropped call does; phase E then reports it. */
      t30_terminate(fax_get_t30_state(peer.fax));
      cancelled = 1;
    }
    if (cancelled && !peer.outcome.finished && now - started > o->timeout_s + DRAIN_MS / 1000.0) break;
  }
  print_result(&peer, started);
  fax_free(peer.fax);
  close(peer.fd);
  return peer.outcome.finished && peer.outcome.completion == T30_ERR_OK ? 0 : 1;
}

/* ---- Command line ---- */

int main(int argc, char **argv) {
  enum { MEDIA = CALL_OPTION_END };
  static const struct option long_options[] = {
      CALL_LONG_OPTIONS, {"media", required_argument, NULL, MEDIA}, {NULL, 0, NULL, 0}};
  call_options_t o = default_call_options(argc, argv, "rtp-fax-peer send|receive --file FILE.tif --bind PORT "
                                                      "--peer PORT [options] (see the source)");
  int alaw = 0;
  optind = 2;
  for (int c; (c = getopt_long(argc, argv, "", long_options, NULL)) != -1;) {
    if (take_call_option(&o, c, optarg)) continue;
    if (c != MEDIA) fail("unknown option (see the source for usage)");
    if (strcmp(optarg, "pcmu") != 0 && strcmp(optarg, "pcma") != 0)
      fail("--media must be pcmu or pcma (got \"%s\")", optarg);
    alaw = strcmp(optarg, "pcma") == 0;
  }
  finish_call_options(&o, argc, argv);
  return run_call(&o, alaw);
}
