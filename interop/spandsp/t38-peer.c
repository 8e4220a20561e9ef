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
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <spandsp.h>

#define PEER_NAME "t38-peer"
#include "peer-support.h"

/* SpanDSP's T.38 terminal counts time in 8 kHz samples; it is woken every 20 ms, the pacing grain its image data is
   chunked for. */
#define TICK_MS 20
#define TICK_SAMPLES 160
/* After phase E the terminal still has DCN and trailing indicators to send; this bounds how long it may take. */
#define DRAIN_MS 1000
#define MAX_REDUNDANCY 8
#define MAX_IFP 1024
/* Room for a primary and every secondary at their largest, before secondaries are dropped to fit --max-datagram. */
#define TX_BUFFER ((MAX_REDUNDANCY + 1) * (MAX_IFP + 2) + 8)
#define RX_BUFFER 65536

typedef struct {
  int sending;
  int calling;
  int ecm;
  int compressions;
  const char *file;
  const char *host;
  int bind_port;
  int peer_port;
  const char *ident;
  int redundancy;
  int max_datagram;
  int loss_percent;
  uint32_t seed;
  int timeout_s;
  int verbose;
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
  int finished;
  int completion;
  t30_stats_t stats;
  char remote_ident[64];
  double finished_at;
} peer_t;

static double monotonic_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* A small seeded generator (xorshift32), so a loss pattern can be replayed with the same --seed. */
static uint32_t random_state;

static uint32_t next_random(void) {
  random_state ^= random_state << 13;
  random_state ^= random_state >> 17;
  random_state ^= random_state << 5;
  return random_state;
}

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
  for (int i = 0; i < count; i++) {
    if (sendto(peer->fd, datagram, size, 0, (struct sockaddr *)&peer->peer, sizeof peer->peer) < 0 &&
        errno != ECONNREFUSED)
      fail("sendto: %s", strerror(errno));
  }
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

static void phase_e(t30_state_t *t30, void *user_data, int completion) {
  peer_t *peer = user_data;
  const char *ident = t30_get_rx_ident(t30);
  peer->completion = completion;
  t30_get_transfer_statistics(t30, &peer->stats);
  snprintf(peer->remote_ident, sizeof peer->remote_ident, "%s", ident ? ident : "");
  peer->finished = 1;
  peer->finished_at = monotonic_seconds();
}

static void print_result(const peer_t *peer, double started) {
  const t30_stats_t *s = &peer->stats;
  double ended = peer->finished ? peer->finished_at : monotonic_seconds();
  printf("{\"ok\":%s,\"completion\":%d,\"completionText\":", peer->completion == T30_ERR_OK ? "true" : "false",
         peer->completion);
  print_json_string(stdout, peer->finished ? t30_completion_code_to_str(peer->completion) : "timed out");
  printf(",\"pagesTx\":%d,\"pagesRx\":%d,\"bitRate\":%d,\"ecm\":%s,\"encoding\":%d", s->pages_tx, s->pages_rx,
         s->bit_rate, s->error_correcting_mode ? "true" : "false", s->encoding);
  printf(",\"xResolution\":%d,\"yResolution\":%d,\"width\":%d,\"length\":%d,\"remoteIdent\":", s->x_resolution,
         s->y_resolution, s->width, s->length);
  print_json_string(stdout, peer->remote_ident);
  printf(",\"datagramsDropped\":%d,\"ifpsRecovered\":%d,\"seconds\":%.3f}\n", peer->rx.dropped, peer->rx.recovered,
         ended - started);
  fflush(stdout);
}

static void set_logging(t38_terminal_state_t *terminal, int verbose) {
  int level = verbose ? SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_SHOW_TAG | SPAN_LOG_FLOW
                      : SPAN_LOG_NONE;
  logging_state_t *logs[] = {
      t30_get_logging_state(t38_terminal_get_t30_state(terminal)),
      t38_core_get_logging_state(t38_terminal_get_t38_core_state(terminal)),
      t38_terminal_get_logging_state(terminal),
  };
  const char *tags[] = {"T.30", "T.38", "T.38-FE"};
  for (int i = 0; i < 3; i++) {
    span_log_set_level(logs[i], level);
    span_log_set_tag(logs[i], tags[i]);
  }
}

static t38_terminal_state_t *start_terminal(peer_t *peer, const options_t *o) {
  t38_terminal_state_t *terminal = t38_terminal_init(NULL, o->calling, send_ifp, peer);
  if (terminal == NULL) fail("t38_terminal_init failed");
  set_logging(terminal, o->verbose);
  peer->core = t38_terminal_get_t38_core_state(terminal);
  t38_set_max_datagram_size(peer->core, o->max_datagram);
  t30_state_t *t30 = t38_terminal_get_t30_state(terminal);
  t30_set_tx_ident(t30, o->ident);
  t30_set_ecm_capability(t30, o->ecm);
  t30_set_supported_compressions(t30, o->compressions);
  if (o->sending)
    t30_set_tx_file(t30, o->file, -1, -1);
  else
    t30_set_rx_file(t30, o->file, -1);
  t30_set_phase_e_handler(t30, phase_e, peer);
  return terminal;
}

static void open_socket(peer_t *peer, const options_t *o) {
  struct sockaddr_in local = {0};
  local.sin_family = AF_INET;
  if (inet_pton(AF_INET, o->host, &local.sin_addr) != 1) fail("--host %s is not an IPv4 address", o->host);
  peer->peer = local;
  local.sin_port = htons((uint16_t)o->bind_port);
  peer->peer.sin_port = htons((uint16_t)o->peer_port);
  peer->fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (peer->fd < 0) fail("socket: %s", strerror(errno));
  if (bind(peer->fd, (struct sockaddr *)&local, sizeof local) < 0)
    fail("bind %s:%d: %s", o->host, o->bind_port, strerror(errno));
}

/* Waits for datagrams until the next tick is due, handing over those that survive the simulated loss. */
static void receive_until(peer_t *peer, double deadline, int loss_percent) {
  for (;;) {
    int wait_ms = (int)((deadline - monotonic_seconds()) * 1000 + 0.999);
    struct pollfd pfd = {.fd = peer->fd, .events = POLLIN};
    int ready = poll(&pfd, 1, wait_ms > 0 ? wait_ms : 0);
    if (ready < 0 && errno != EINTR) fail("poll: %s", strerror(errno));
    if (ready <= 0) return;
    uint8_t datagram[RX_BUFFER];
    ssize_t size = recv(peer->fd, datagram, sizeof datagram, 0);
    if (size < 0) continue;
    if ((int)(next_random() % 100) < loss_percent) {
      peer->rx.dropped++;
      continue;
    }
    receive_datagram(peer, datagram, (int)size);
  }
}

static int run_call(const options_t *o) {
  peer_t peer = {.rx = {.expected = -1}, .completion = -1};
  peer.tx.redundancy = o->redundancy;
  peer.tx.max_datagram = o->max_datagram;
  random_state = o->seed ? o->seed : 1;
  open_socket(&peer, o);
  t38_terminal_state_t *terminal = start_terminal(&peer, o);
  double started = monotonic_seconds();
  double tick = started;
  int cancelled = 0;
  for (;;) {
    tick += TICK_MS / 1000.0;
    receive_until(&peer, tick, o->loss_percent);
    int done = t38_terminal_send_timeout(terminal, TICK_SAMPLES);
    if (peer.finished && (done || monotonic_seconds() - peer.finished_at > DRAIN_MS / 1000.0)) break;
    if (!cancelled && monotonic_seconds() - started > o->timeout_s) {
      /* Ends the session the way a dropped call does; phase E then reports it. */
      t30_terminate(t38_terminal_get_t30_state(terminal));
      cancelled = 1;
    }
    if (cancelled && !peer.finished && monotonic_seconds() - started > o->timeout_s + DRAIN_MS / 1000.0) break;
  }
  print_result(&peer, started);
  t38_terminal_free(terminal);
  close(peer.fd);
  return peer.finished && peer.completion == T30_ERR_OK ? 0 : 1;
}

/* ---- Command line ---- */

static options_t parse_options(int argc, char **argv) {
  enum { CALLING = 256, ANSWERING, NO_ECM, COMPRESSION, IDENT, REDUNDANCY, MAX_DGRAM, LOSS, SEED, TIMEOUT, VERBOSE };
  static const struct option long_options[] = {
      {"file", required_argument, NULL, 'f'},     {"bind", required_argument, NULL, 'b'},
      {"peer", required_argument, NULL, 'p'},     {"host", required_argument, NULL, 'h'},
      {"calling", no_argument, NULL, CALLING},    {"answering", no_argument, NULL, ANSWERING},
      {"no-ecm", no_argument, NULL, NO_ECM},      {"compression", required_argument, NULL, COMPRESSION},
      {"ident", required_argument, NULL, IDENT},  {"redundancy", required_argument, NULL, REDUNDANCY},
      {"max-datagram", required_argument, NULL, MAX_DGRAM},
      {"loss", required_argument, NULL, LOSS},    {"seed", required_argument, NULL, SEED},
      {"timeout", required_argument, NULL, TIMEOUT},
      {"verbose", no_argument, NULL, VERBOSE},    {NULL, 0, NULL, 0},
  };
  options_t o = {.ecm = 1, .host = "127.0.0.1", .ident = "SPANDSP", .redundancy = 3, .max_datagram = 400,
                 .seed = 1, .timeout_s = 300, .calling = -1};
  o.compressions = parse_compressions("mmr");
  if (argc < 2 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "receive") != 0))
    fail("usage: t38-peer send|receive --file FILE.tif --bind PORT --peer PORT [options] (see the source)");
  o.sending = strcmp(argv[1], "send") == 0;
  optind = 2;
  for (int c; (c = getopt_long(argc, argv, "", long_options, NULL)) != -1;) {
    switch (c) {
      case 'f': o.file = optarg; break;
      case 'b': o.bind_port = parse_int("bind", optarg, 1, 65535); break;
      case 'p': o.peer_port = parse_int("peer", optarg, 1, 65535); break;
      case 'h': o.host = optarg; break;
      case CALLING: o.calling = 1; break;
      case ANSWERING: o.calling = 0; break;
      case NO_ECM: o.ecm = 0; break;
      case COMPRESSION: o.compressions = parse_compressions(optarg); break;
      case IDENT: o.ident = optarg; break;
      case REDUNDANCY: o.redundancy = parse_int("redundancy", optarg, 0, MAX_REDUNDANCY); break;
      case MAX_DGRAM: o.max_datagram = parse_int("max-datagram", optarg, 64, 65507); break;
      case LOSS: o.loss_percent = parse_int("loss", optarg, 0, 100); break;
      case SEED: o.seed = (uint32_t)parse_int("seed", optarg, 0, 2147483647); break;
      case TIMEOUT: o.timeout_s = parse_int("timeout", optarg, 1, 86400); break;
      case VERBOSE: o.verbose = 1; break;
      default: fail("unknown option (see the source for usage)");
    }
  }
  if (optind < argc) fail("unexpected argument \"%s\"", argv[optind]);
  if (o.file == NULL || o.bind_port == 0 || o.peer_port == 0) fail("--file, --bind and --peer are required");
  if (o.calling < 0) o.calling = o.sending;
  if (strlen(o.ident) > 20) fail("--ident is at most 20 characters");
  return o;
}

int main(int argc, char **argv) {
  options_t options = parse_options(argc, argv);
  return run_call(&options);
}
