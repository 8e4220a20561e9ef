/*
 * t38-peer: a SpanDSP T.38 terminal speaking UDPTL over UDP, the reference peer faxd's live interop tests and T.38
 * benchmark run against (T.38 §9.1 UDPTL with redundancy, Annex A; T.30 and the T.38 terminal are SpanDSP's).
 *
 * usage: t38-peer send|receive --file FILE.tif --bind PORT --peer PORT [options]
 *
 *   send                 send the pages of FILE.tif (any bilevel TIFF libtiff reads)
 *   receive              receive into FILE.tif
 *   --bind PORT          local UDP port
 *   --peer PORT          the far end's UDP port
 *   --host ADDR          IPv4 address of both ends (default 127.0.0.1)
 *   --calling            place the call (default for send)
 *   --answering          answer the call (default for receive)
 *   --no-ecm             do not offer or use T.30 error correction (ECM)
 *   --modems LIST        image modems the DIS/DCS may offer: v17, v29, v27ter, comma-separated (default all three)
 *   --compression C      mh, mr or mmr: the best coding offered or used (default mmr)
 *   --ident TEXT         TSI/CSI (default SPANDSP)
 *   --redundancy N       earlier IFPs carried in each datagram, 0..8 (default 3)
 *   --max-datagram N     the far end's T38FaxMaxDatagram; secondaries are left out to fit (default 400)
 *   --loss PERCENT       drop this share of the datagrams that arrive, before UDPTL recovery (default 0)
 *   --seed N             seed of the loss pattern (default 1)
 *   --timeout SECONDS    give up after this long (default 300)
 *   --verbose            SpanDSP's T.30 and T.38 logs on stderr
 *
 * When the call is over it prints one JSON line on stdout:
 *   {"ok":true,"completion":0,"completionText":"OK","pagesTx":1,"pagesRx":0,"bitRate":14400,"ecm":true,
 *    "encoding":3,"xResolution":8031,"yResolution":7700,"width":1728,"length":400,"remoteIdent":"...",
 *    "datagramsDropped":0,"ifpsRecovered":0,"seconds":12.3}
 * encoding is SpanDSP's T4_COMPRESSION_* (1 MH, 2 MR, 3 MMR); resolutions are in pixels per metre, of the last page;
 * datagramsDropped counts --loss at work, ifpsRecovered the IFPs taken from secondaries to fill gaps.
 * Exit status: 0 when T.30 ended with T30_ERR_OK, 1 when it ended otherwise, 2 on a usage or system error.
 *
 * Build: gcc -O2 -o t38-peer t38-peer.c -lspandsp -ltiff -lm
 */
#define _POSIX_C_SOURCE 200809L
#define PEER_NAME "t38-peer"
#include "fax-call.h"

#define MAX_REDUNDANCY 8
#define MAX_IFP 1024
/* Room for a primary and every secondary at their largest, before secondaries are dropped to fit --max-datagram. */
#define TX_BUFFER ((MAX_REDUNDANCY + 1) * (MAX_IFP + 2) + 8)
#define RX_BUFFER 65536

/* The T.38 options, after those of every call. */
typedef struct {
  call_options_t call;
  int redundancy;
  int max_datagram;
} options_t;

/* The UDPTL sender: the next seq-number and the last IFPs sent, newest first, to carry as secondaries. */
typedef struct {
  uint16_t next_seq;
  int redundancy;
  int max_datagram;
  uint8_t history[MAX_REDUNDANCY][MAX_IFP];
  int history_len[MAX_REDUNDANCY];
  int history_count;
} udptl_tx_t;

/* The UDPTL receiver: the seq-number expected next (-1 until the first datagram), and counts for the report. */
typedef struct {
  int expected;
  int dropped;
  int recovered;
} udptl_rx_t;

typedef struct {
  int fd;
  struct sockaddr_in peer;
  udptl_tx_t tx;
  udptl_rx_t rx;
  t38_core_state_t *core;
  call_outcome_t outcome;
} peer_t;

/* ---- UDPTL (T.38 §9.1): ASN.1 PER, aligned. ---- */

/* A PER length determinant: one octet below 128, two (10xxxxxx xxxxxxxx) below 16384. Larger lengths would be
   fragmented, which no IFP or secondary list here comes near. */
static int put_length(uint8_t *out, int length) {
  if (length < 128) {
    out[0] = (uint8_t)length;
    return 1;
  }
  out[0] = (uint8_t)(0x80 | (length >> 8));
  out[1] = (uint8_t)length;
  return 2;
}

/* Reads a length determinant at *at; returns -1 when the datagram is too short or uses fragmentation. */
static int get_length(const uint8_t *in, int size, int *at) {
  if (*at >= size) return -1;
  uint8_t first = in[(*at)++];
  if ((first & 0x80) == 0) return first;
  if ((first & 0xc0) != 0x80 || *at >= size) return -1;
  return ((first & 0x3f) << 8) | in[(*at)++];
}

/* Annex A redundancy: seq-number, the primary IFP, then the choice octet 0x00 (secondary-ifp-packets) and the
   previous IFPs newest first. Oldest secondaries are dropped until the datagram fits the far end's maximum. */
static int encode_datagram(udptl_tx_t *tx, const uint8_t *ifp, int ifp_len, uint8_t *out) {
  int secondaries = tx->history_count;
  for (;;) {
    int at = 0;
    out[at++] = (uint8_t)(tx->next_seq >> 8);
    out[at++] = (uint8_t)tx->next_seq;
    at += put_length(out + at, ifp_len);
    memcpy(out + at, ifp, ifp_len);
    at += ifp_len;
    out[at++] = 0x00;
    at += put_length(out + at, secondaries);
    for (int i = 0; i < secondaries; i++) {
      at += put_length(out + at, tx->history_len[i]);
      memcpy(out + at, tx->history[i], tx->history_len[i]);
      at += tx->history_len[i];
    }
    if (at <= tx->max_datagram || secondaries == 0) return at;
    secondaries--;
  }
}

static void remember_sent(udptl_tx_t *tx, const uint8_t *ifp, int ifp_len) {
  tx->next_seq++;
  if (tx->redundancy == 0) return;
  int keep = tx->history_count < tx->redundancy ? tx->history_count : tx->redundancy - 1;
  for (int i = keep; i > 0; i--) {
    memcpy(tx->history[i], tx->history[i - 1], tx->history_len[i - 1]);
    tx->history_len[i] = tx->history_len[i - 1];
  }
  memcpy(tx->history[0], ifp, ifp_len);
  tx->history_len[0] = ifp_len;
  tx->history_count = keep + 1;
}

/* SpanDSP hands over one IFP and how many times to send it (indicators and signal ends go more than once). The
   copies are the same datagram, seq-number and all, so the far end drops the repeats. */
static int send_ifp(t38_core_state_t *core, void *user_data, const uint8_t *ifp, int ifp_len, int count) {
  peer_t *peer = user_data;
  uint8_t datagram[TX_BUFFER];
  (void)core;
  if (ifp_len > MAX_IFP) fail("an IFP of %d octets is larger than %d", ifp_len, MAX_IFP);
  int size = encode_datagram(&peer->tx, ifp, ifp_len, datagram);
  for (int i = 0; i < count; i++) send_datagram(peer->fd, &peer->peer, datagram, size);
  remember_sent(&peer->tx, ifp, ifp_len);
  return 0;
}

/* Delivers the IFPs of one datagram in sequence. A datagram older than the one expected is a duplicate or a late
   arrival whose IFP was already recovered from a later datagram's secondaries, so it is dropped; a gap is filled
   from this datagram's secondaries as far as they reach, and SpanDSP's core is told about what stays missing by the
   jump in seq-numbers. Reordering within the redundancy depth therefore loses nothing. */
static void receive_datagram(peer_t *peer, const uint8_t *in, int size) {
  if (size < 3) return;
  int at = 2;
  uint16_t seq = (uint16_t)((in[0] << 8) | in[1]);
  int primary_len = get_length(in, size, &at);
  if (primary_len < 0 || at + primary_len > size) return;
  const uint8_t *primary = in + at;
  at += primary_len;
  /* 16-bit seq-numbers wrap: the signed difference says whether this datagram is ahead or behind. */
  int ahead = peer->rx.expected < 0 ? 0 : (int16_t)(seq - (uint16_t)peer->rx.expected);
  if (ahead < 0) return;
  if (ahead > 0 && at < size && in[at] == 0x00) {
    const uint8_t *secondary[MAX_REDUNDANCY];
    int secondary_len[MAX_REDUNDANCY];
    at++;
    int count = get_length(in, size, &at);
    if (count < 0) return;
    int usable = count < ahead ? count : ahead;
    if (usable > MAX_REDUNDANCY) usable = MAX_REDUNDANCY;
    for (int i = 0; i < usable; i++) {
      secondary_len[i] = get_length(in, size, &at);
      if (secondary_len[i] < 0 || at + secondary_len[i] > size) return;
      secondary[i] = in + at;
      at += secondary_len[i];
    }
    /* Secondary i carries seq - 1 - i: deliver the oldest first. */
    for (int i = usable - 1; i >= 0; i--)
      t38_core_rx_ifp_packet(peer->core, secondary[i], secondary_len[i], (uint16_t)(seq - 1 - i));
    peer->rx.recovered += usable;
  }
  t38_core_rx_ifp_packet(peer->core, primary, primary_len, seq);
  peer->rx.expected = (uint16_t)(seq + 1);
}

/* ---- The call ---- */

static void print_result(const peer_t *peer, double started) {
  print_call_fields(&peer->outcome);
  printf(",\"datagramsDropped\":%d,\"ifpsRecovered\":%d,\"seconds\":%.3f}\n", peer->rx.dropped, peer->rx.recovered,
         call_seconds(&peer->outcome, started));
  fflush(stdout);
}

static t38_terminal_state_t *start_terminal(peer_t *peer, const options_t *o) {
  t38_terminal_state_t *terminal = t38_terminal_init(NULL, o->call.calling, send_ifp, peer);
  if (terminal == NULL) fail("t38_terminal_init failed");
  t30_state_t *t30 = t38_terminal_get_t30_state(terminal);
  set_log(t30_get_logging_state(t30), o->call.verbose, "T.30");
  set_log(t38_core_get_logging_state(t38_terminal_get_t38_core_state(terminal)), o->call.verbose, "T.38");
  set_log(t38_terminal_get_logging_state(terminal), o->call.verbose, "T.38-FE");
  peer->core = t38_terminal_get_t38_core_state(terminal);
  t38_set_max_datagram_size(peer->core, o->max_datagram);
  configure_t30(t30, &o->call, &peer->outcome);
  return terminal;
}

/* Hands over the datagrams that arrive before the next tick is due and survive the simulated loss. */
static void receive_until(peer_t *peer, double deadline, const call_options_t *o) {
  static uint8_t datagram[RX_BUFFER];
  for (int size; (size = receive_before(peer->fd, deadline, datagram, sizeof datagram)) >= 0;) {
    if (lost_on_arrival(o))
      peer->rx.dropped++;
    else
      receive_datagram(peer, datagram, size);
  }
}

static int run_call(const options_t *o) {
  peer_t peer = {.rx = {.expected = -1}, .outcome = {.completion = -1}};
  const call_options_t *call = &o->call;
  peer.tx.redundancy = o->redundancy;
  peer.tx.max_datagram = o->max_datagram;
  peer.fd = open_udp_socket(call, &peer.peer);
  t38_terminal_state_t *terminal = start_terminal(&peer, o);
  double started = monotonic_seconds();
  double tick = started;
  int cancelled = 0;
  for (;;) {
    tick += TICK_MS / 1000.0;
    receive_until(&peer, tick, call);
    int done = t38_terminal_send_timeout(terminal, TICK_SAMPLES);
    double now = monotonic_seconds();
    if (peer.outcome.finished && (done || now - peer.outcome.finished_at > DRAIN_MS / 1000.0)) break;
    if (!cancelled && now - started > call->timeout_s) {
      /* Ends the session the way a dropped call does; phase E then reports it. */
      t30_terminate(t38_terminal_get_t30_state(terminal));
      cancelled = 1;
    }
    if (cancelled && !peer.outcome.finished && now - started > call->timeout_s + DRAIN_MS / 1000.0) break;
  }
  print_result(&peer, started);
  t38_terminal_free(terminal);
  close(peer.fd);
  return peer.outcome.finished && peer.outcome.completion == T30_ERR_OK ? 0 : 1;
}

/* ---- Command line ---- */

int main(int argc, char **argv) {
  enum { REDUNDANCY = CALL_OPTION_END, MAX_DGRAM };
  static const struct option long_options[] = {CALL_LONG_OPTIONS,
                                               {"redundancy", required_argument, NULL, REDUNDANCY},
                                               {"max-datagram", required_argument, NULL, MAX_DGRAM},
                                               {NULL, 0, NULL, 0}};
  options_t o = {.redundancy = 3, .max_datagram = 400};
  o.call = default_call_options(argc, argv, "t38-peer send|receive --file FILE.tif --bind PORT --peer PORT [options] "
                                            "(see the source)");
  optind = 2;
  for (int c; (c = getopt_long(argc, argv, "", long_options, NULL)) != -1;) {
    if (take_call_option(&o.call, c, optarg)) continue;
    switch (c) {
      case REDUNDANCY: o.redundancy = parse_int("redundancy", optarg, 0, MAX_REDUNDANCY); break;
      case MAX_DGRAM: o.max_datagram = parse_int("max-datagram", optarg, 64, 65507); break;
      default: fail("unknown option (see the source for usage)");
    }
  }
  finish_call_options(&o.call, argc, argv);
  return run_call(&o);
}
