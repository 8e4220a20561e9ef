/*
 * fax-call.h: what SpanDSP's fax terminal peers (t38-peer.c over UDPTL, audio-fax-peer.c over G.711 RTP) share: the
 * command-line options of a call, the T.30 set-up and phase E report, the UDP socket, and the JSON report's common
 * fields, on top of peer-support.h. Included once by each peer's single source file (static functions, no separate
 * object to link), after it defines PEER_NAME.
 */
#ifndef FAXD_FAX_CALL_H
#define FAXD_FAX_CALL_H

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

#include "peer-support.h"

/* Both terminals are woken every 20 ms: SpanDSP's T.38 terminal chunks its image data for that grain, and an RTP
   packet of G.711 carries 20 ms (160 samples at 8 kHz). */
#define TICK_MS 20
#define TICK_SAMPLES 160
/* After phase E the terminal still has DCN and trailing signals to send; this bounds how long it may take. */
#define DRAIN_MS 1000

/* The options every call takes; each peer adds its own after them. */
typedef struct {
  int sending;
  int calling;
  int ecm;
  int compressions;
  /* T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17: what the DIS/DCS may offer. */
  int modems;
  const char *file;
  const char *host;
  int bind_port;
  int peer_port;
  const char *ident;
  int loss_percent;
  uint32_t seed;
  int timeout_s;
  int verbose;
} call_options_t;

/* What phase E reported, once it has. */
typedef struct {
  int finished;
  int completion;
  t30_stats_t stats;
  char remote_ident[64];
  double finished_at;
} call_outcome_t;

static double monotonic_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* A small seeded generator (xorshift32), so a loss pattern can be replayed with the same --seed. */
static uint32_t random_state = 1;

static uint32_t next_random(void) {
  random_state ^= random_state << 13;
  random_state ^= random_state >> 17;
  random_state ^= random_state << 5;
  return random_state;
}

/* Whether an arriving datagram is thrown away by --loss. */
static int lost_on_arrival(const call_options_t *o) {
  return o->loss_percent > 0 && (int)(next_random() % 100) < o->loss_percent;
}

/* ---- T.30 ---- */

static void phase_e(t30_state_t *t30, void *user_data, int completion) {
  call_outcome_t *outcome = user_data;
  const char *ident = t30_get_rx_ident(t30);
  outcome->completion = completion;
  t30_get_transfer_statistics(t30, &outcome->stats);
  snprintf(outcome->remote_ident, sizeof outcome->remote_ident, "%s", ident ? ident : "");
  outcome->finished = 1;
  outcome->finished_at = monotonic_seconds();
}

/* Identity, ECM, codings, modems, the file to send or receive into, and the phase E report. */
static void configure_t30(t30_state_t *t30, const call_options_t *o, call_outcome_t *outcome) {
  t30_set_tx_ident(t30, o->ident);
  t30_set_ecm_capability(t30, o->ecm);
  t30_set_supported_compressions(t30, o->compressions);
  t30_set_supported_modems(t30, o->modems);
  if (o->sending)
    t30_set_tx_file(t30, o->file, -1, -1);
  else
    t30_set_rx_file(t30, o->file, -1);
  t30_set_phase_e_handler(t30, phase_e, outcome);
}

static int log_level(int verbose) {
  return verbose ? SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_SHOW_TAG | SPAN_LOG_FLOW : SPAN_LOG_NONE;
}

static void set_log(logging_state_t *log, int verbose, const char *tag) {
  span_log_set_level(log, log_level(verbose));
  span_log_set_tag(log, tag);
}

/* ---- The report ---- */

/* The report's opening fields, from "ok" to "remoteIdent"; the peer adds its own and closes the object. */
static void print_call_fields(const call_outcome_t *outcome) {
  const t30_stats_t *s = &outcome->stats;
  printf("{\"ok\":%s,\"completion\":%d,\"completionText\":",
         outcome->finished && outcome->completion == T30_ERR_OK ? "true" : "false", outcome->completion);
  print_json_string(stdout, outcome->finished ? t30_completion_code_to_str(outcome->completion) : "timed out");
  printf(",\"pagesTx\":%d,\"pagesRx\":%d,\"bitRate\":%d,\"ecm\":%s,\"encoding\":%d", s->pages_tx, s->pages_rx,
         s->bit_rate, s->error_correcting_mode ? "true" : "false", s->encoding);
  printf(",\"xResolution\":%d,\"yResolution\":%d,\"width\":%d,\"length\":%d,\"remoteIdent\":", s->x_resolution,
         s->y_resolution, s->width, s->length);
  print_json_string(stdout, outcome->remote_ident);
}

static double call_seconds(const call_outcome_t *outcome, double started) {
  return (outcome->finished ? outcome->finished_at : monotonic_seconds()) - started;
}

/* ---- UDP ---- */

/* Binds --bind on --host and returns the socket; *peer is --peer on the same host. */
static int open_udp_socket(const call_options_t *o, struct sockaddr_in *peer) {
  struct sockaddr_in local = {0};
  local.sin_family = AF_INET;
  if (inet_pton(AF_INET, o->host, &local.sin_addr) != 1) fail("--host %s is not an IPv4 address", o->host);
  *peer = local;
  local.sin_port = htons((uint16_t)o->bind_port);
  peer->sin_port = htons((uint16_t)o->peer_port);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) fail("socket: %s", strerror(errno));
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0)
    fail("bind %s:%d: %s", o->host, o->bind_port, strerror(errno));
  return fd;
}

/* Sends one datagram; a peer not listening yet (ECONNREFUSED from an earlier send) is that call's silence. */
static void send_datagram(int fd, const struct sockaddr_in *peer, const uint8_t *data, int size) {
  if (sendto(fd, data, size, 0, (const struct sockaddr *)peer, sizeof *peer) < 0 && errno != ECONNREFUSED)
    fail("sendto: %s", strerror(errno));
}

/* Waits until a datagram arrives or `deadline` (monotonic seconds) passes; returns its size, or -1 at the deadline. */
static int receive_before(int fd, double deadline, uint8_t *buffer, int capacity) {
  for (;;) {
    int wait_ms = (int)((deadline - monotonic_seconds()) * 1000 + 0.999);
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int ready = poll(&pfd, 1, wait_ms > 0 ? wait_ms : 0);
    if (ready < 0 && errno != EINTR) fail("poll: %s", strerror(errno));
    if (ready <= 0) return -1;
    ssize_t size = recv(fd, buffer, capacity, 0);
    if (size >= 0) return (int)size;
  }
}

/* ---- Command line ---- */

/* getopt_long codes of the common options; a peer numbers its own from CALL_OPTION_END. */
enum {
  OPT_FILE = 256, OPT_BIND, OPT_PEER, OPT_HOST, OPT_CALLING, OPT_ANSWERING, OPT_NO_ECM, OPT_COMPRESSION, OPT_MODEMS,
  OPT_IDENT, OPT_LOSS, OPT_SEED, OPT_TIMEOUT, OPT_VERBOSE, CALL_OPTION_END
};

#define CALL_LONG_OPTIONS                                                                                        \
  {"file", required_argument, NULL, OPT_FILE}, {"bind", required_argument, NULL, OPT_BIND},                      \
      {"peer", required_argument, NULL, OPT_PEER}, {"host", required_argument, NULL, OPT_HOST},                  \
      {"calling", no_argument, NULL, OPT_CALLING}, {"answering", no_argument, NULL, OPT_ANSWERING},              \
      {"no-ecm", no_argument, NULL, OPT_NO_ECM}, {"compression", required_argument, NULL, OPT_COMPRESSION},      \
      {"modems", required_argument, NULL, OPT_MODEMS}, {"ident", required_argument, NULL, OPT_IDENT},            \
      {"loss", required_argument, NULL, OPT_LOSS}, {"seed", required_argument, NULL, OPT_SEED},                  \
      {"timeout", required_argument, NULL, OPT_TIMEOUT}, {"verbose", no_argument, NULL, OPT_VERBOSE}

/* The defaults, and send|receive from argv[1]. */
static call_options_t default_call_options(int argc, char **argv, const char *usage) {
  call_options_t o = {.ecm = 1, .host = "127.0.0.1", .ident = "SPANDSP", .seed = 1, .timeout_s = 300, .calling = -1,
                      .modems = T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17};
  o.compressions = parse_compressions("mmr");
  if (argc < 2 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "receive") != 0)) fail("usage: %s", usage);
  o.sending = strcmp(argv[1], "send") == 0;
  return o;
}

/* Takes one common option; returns 0 when `c` is not one. */
static int take_call_option(call_options_t *o, int c, const char *arg) {
  switch (c) {
    case OPT_FILE: o->file = arg; return 1;
    case OPT_BIND: o->bind_port = parse_int("bind", arg, 1, 65535); return 1;
    case OPT_PEER: o->peer_port = parse_int("peer", arg, 1, 65535); return 1;
    case OPT_HOST: o->host = arg; return 1;
    case OPT_CALLING: o->calling = 1; return 1;
    case OPT_ANSWERING: o->calling = 0; return 1;
    case OPT_NO_ECM: o->ecm = 0; return 1;
    case OPT_COMPRESSION: o->compressions = parse_compressions(arg); return 1;
    case OPT_MODEMS: o->modems = parse_modems(arg); return 1;
    case OPT_IDENT: o->ident = arg; return 1;
    case OPT_LOSS: o->loss_percent = parse_int("loss", arg, 0, 100); return 1;
    case OPT_SEED: o->seed = (uint32_t)parse_int("seed", arg, 0, 2147483647); return 1;
    case OPT_TIMEOUT: o->timeout_s = parse_int("timeout", arg, 1, 86400); return 1;
    case OPT_VERBOSE: o->verbose = 1; return 1;
    default: return 0;
  }
}

/* Checks what every call needs once all options are read, and seeds the loss pattern. */
static void finish_call_options(call_options_t *o, int argc, char **argv) {
  if (optind < argc) fail("unexpected argument \"%s\"", argv[optind]);
  if (o->file == NULL || o->bind_port == 0 || o->peer_port == 0) fail("--file, --bind and --peer are required");
  if (o->calling < 0) o->calling = o->sending;
  if (strlen(o->ident) > 20) fail("--ident is at most 20 characters");
  random_state = o->seed ? o->seed : 1;
}

#endif
