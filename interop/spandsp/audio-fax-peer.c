/*
 * audio-fax-peer: SpanDSP's audio fax terminal (fax_state_t: T.30 on SpanDSP's own V.21, V.27ter, V.29 and V.17
 * modems) driven in lock step over pipes, the reference peer for faxd's audio front end (audio-fax reference §6.3).
 *
 * usage: audio-fax-peer send|receive --file FILE.tif [options]
 *
 *   send                 send the pages of FILE.tif (any bilevel TIFF libtiff reads)
 *   receive              receive into FILE.tif
 *   --calling            place the call (default for send)
 *   --answering          answer the call (default for receive)
 *   --no-ecm             do not offer or use T.30 error correction (ECM)
 *   --compression C      mh, mr or mmr: the best coding offered or used (default mmr)
 *   --modems LIST        image modems offered, a comma-separated part of v17,v29,v27ter (default all)
 *   --ident TEXT         TSI/CSI (default SPANDSP)
 *   --result FILE        where the JSON result line goes (default stderr)
 *   --max-seconds N      of line time before SpanDSP's T.30 is told to give up (default 300)
 *   --verbose            SpanDSP's T.30 and modem logs on stderr
 *   --rtp pcmu|pcma      G.711 in RTP on UDP instead of lock step, paced in real time (needs --bind and --peer)
 *   --bind PORT          local UDP port (RTP)
 *   --peer PORT          the far end's UDP port on 127.0.0.1 (RTP)
 *
 * RTP (audio-fax reference §1.4, §6.3): a 20 ms packet (PT 0 or 8, 160 samples) goes out on an absolute schedule from
 * the start, the marker on the first only; arriving packets go to fax_rx in sequence order as they come, a gap in the
 * sequence numbers to fax_rx_fillin, late and repeated ones are dropped. SpanDSP's T.30 clock is the samples received.
 *
 * Lock step: each 160 linear 16-bit little-endian samples (20 ms) read from stdin go to fax_rx, and for each of them
 * 160 samples from fax_tx are written to stdout, so the two ends run on one sample clock with no real time involved.
 * A short read (the far end closed its side) ends the call. Once phase E has come, a further second of line is
 * exchanged so the last signal (DCN, or the answer to it) goes out, then the peer exits.
 *
 * The result line: {"ok":true,"completion":0,"completionText":"OK","pagesTx":1,"pagesRx":0,"bitRate":14400,
 * "ecm":true,"encoding":3,"remoteIdent":"...","lineSeconds":12.3}
 * Exit status: 0 when T.30 ended with T30_ERR_OK, 1 when it ended otherwise, 2 on a usage or system error.
 *
 * Build: gcc -O2 -o audio-fax-peer audio-fax-peer.c -lspandsp -ltiff -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <spandsp.h>

#define PEER_NAME "audio-fax-peer"
#include "peer-support.h"

#define FRAME 160
#define SAMPLE_RATE 8000
/* Line time after phase E before the peer leaves: the DCN and its carrier's end go out within it. */
#define DRAIN_SAMPLES SAMPLE_RATE

typedef struct {
  int sending;
  int calling;
  int ecm;
  int compressions;
  int modems;
  const char *file;
  const char *ident;
  const char *result;
  int max_seconds;
  int verbose;
  /* RTP: 0 (lock step), else the payload type (0 PCMU, 8 PCMA). */
  int rtp;
  int payload_type;
  int bind_port;
  int peer_port;
} options_t;

typedef struct {
  int finished;
  int completion;
  long finished_at;
  t30_stats_t stats;
  char remote_ident[64];
} peer_t;

static long samples_done;

static void phase_e(t30_state_t *t30, void *user_data, int completion) {
  peer_t *peer = user_data;
  const char *ident = t30_get_rx_ident(t30);
  peer->completion = completion;
  t30_get_transfer_statistics(t30, &peer->stats);
  snprintf(peer->remote_ident, sizeof peer->remote_ident, "%s", ident ? ident : "");
  peer->finished = 1;
  peer->finished_at = samples_done;
}

static void print_result(const peer_t *peer, const options_t *o) {
  FILE *out = o->result ? fopen(o->result, "w") : stderr;
  if (out == NULL) fail("cannot write %s: %s", o->result, strerror(errno));
  const t30_stats_t *s = &peer->stats;
  fprintf(out, "{\"ok\":%s,\"completion\":%d,\"completionText\":",
          peer->finished && peer->completion == T30_ERR_OK ? "true" : "false", peer->completion);
  print_json_string(out, peer->finished ? t30_completion_code_to_str(peer->completion) : "unfinished");
  fprintf(out, ",\"pagesTx\":%d,\"pagesRx\":%d,\"bitRate\":%d,\"ecm\":%s,\"encoding\":%d,\"remoteIdent\":",
          s->pages_tx, s->pages_rx, s->bit_rate, s->error_correcting_mode ? "true" : "false", s->encoding);
  print_json_string(out, peer->remote_ident);
  fprintf(out, ",\"lineSeconds\":%.2f}\n", (double)samples_done / SAMPLE_RATE);
  if (out != stderr) fclose(out);
}

static void set_logging(fax_state_t *fax, int verbose) {
  int level = verbose ? SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_SHOW_TAG | SPAN_LOG_FLOW
                      : SPAN_LOG_NONE;
  logging_state_t *logs[] = {t30_get_logging_state(fax_get_t30_state(fax)), fax_get_logging_state(fax)};
  const char *tags[] = {"T.30", "FAX"};
  for (int i = 0; i < 2; i++) {
    span_log_set_level(logs[i], level);
    span_log_set_tag(logs[i], tags[i]);
  }
}

/* Reads exactly one frame; 0 when the far end has closed its side. */
static int read_frame(int16_t *frame) {
  size_t want = FRAME * sizeof(int16_t);
  size_t got = 0;
  while (got < want) {
    ssize_t n = read(STDIN_FILENO, (uint8_t *)frame + got, want - got);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("read: %s", strerror(errno));
    }
    got += (size_t)n;
  }
  return 1;
}

static int write_frame(const int16_t *frame) {
  size_t want = FRAME * sizeof(int16_t);
  size_t put = 0;
  while (put < want) {
    ssize_t n = write(STDOUT_FILENO, (const uint8_t *)frame + put, want - put);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) return 0;
      fail("write: %s", strerror(errno));
    }
    put += (size_t)n;
  }
  return 1;
}

/* The next 20 ms from SpanDSP, silence where it has nothing. */
static void transmit_frame(fax_state_t *fax, int16_t *out) {
  int made = fax_tx(fax, out, FRAME);
  if (made < FRAME) memset(out + made, 0, (FRAME - made) * sizeof(int16_t));
}

/* Whether the call is over (phase E and the drain after it), telling T.30 to give up once past --max-seconds. */
static int call_over(fax_state_t *fax, const peer_t *peer, const options_t *o, int *terminated) {
  if (peer->finished && samples_done - peer->finished_at >= DRAIN_SAMPLES) return 1;
  if (!*terminated && samples_done >= (long)o->max_seconds * SAMPLE_RATE) {
    t30_terminate(fax_get_t30_state(fax));
    *terminated = 1;
  }
  return *terminated && samples_done >= ((long)o->max_seconds + 2) * SAMPLE_RATE;
}

static void run_lock_step(fax_state_t *fax, peer_t *peer, const options_t *o) {
  int16_t in[FRAME];
  int16_t out[FRAME];
  int terminated = 0;
  for (;;) {
    if (!read_frame(in)) return;
    fax_rx(fax, in, FRAME);
    transmit_frame(fax, out);
    if (!write_frame(out)) return;
    samples_done += FRAME;
    if (call_over(fax, peer, o, &terminated)) return;
  }
}

/* ---- RTP ---- */

#define RTP_HEADER 12

static double monotonic_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

static uint8_t encode_sample(int payload_type, int16_t sample) {
  return payload_type == 0 ? linear_to_ulaw(sample) : linear_to_alaw(sample);
}

static int16_t decode_sample(int payload_type, uint8_t code) {
  return payload_type == 0 ? ulaw_to_linear(code) : alaw_to_linear(code);
}

/* One arriving datagram: in sequence order to fax_rx, a gap to fill-in first, an old or repeated one dropped. */
static void receive_packet(fax_state_t *fax, const options_t *o, const uint8_t *in, int size, int *expected) {
  if (size < RTP_HEADER || (in[0] & 0xc0) != 0x80 || (in[1] & 0x7f) != o->payload_type) return;
  int header = RTP_HEADER + 4 * (in[0] & 0x0f);
  if (size <= header) return;
  uint16_t seq = (uint16_t)((in[2] << 8) | in[3]);
  if (*expected >= 0) {
    int ahead = (int16_t)(seq - (uint16_t)*expected);
    if (ahead < 0) return;
    for (int i = 0; i < ahead && i < 50; i++) fax_rx_fillin(fax, FRAME);
  }
  int16_t samples[1024];
  int count = size - header > 1024 ? 1024 : size - header;
  for (int i = 0; i < count; i++) samples[i] = decode_sample(o->payload_type, in[header + i]);
  fax_rx(fax, samples, count);
  *expected = (uint16_t)(seq + 1);
}

static void run_rtp(fax_state_t *fax, peer_t *peer, const options_t *o) {
  struct sockaddr_in local = {0};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct sockaddr_in far = local;
  local.sin_port = htons((uint16_t)o->bind_port);
  far.sin_port = htons((uint16_t)o->peer_port);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) fail("socket: %s", strerror(errno));
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) fail("bind %d: %s", o->bind_port, strerror(errno));
  uint8_t packet[RTP_HEADER + FRAME];
  uint16_t seq = 0x1234;
  uint32_t timestamp = 0x56789abc;
  int expected = -1;
  int terminated = 0;
  double tick = monotonic_seconds();
  for (long k = 0;; k++) {
    int16_t out[FRAME];
    transmit_frame(fax, out);
    packet[0] = 0x80;
    packet[1] = (uint8_t)(o->payload_type | (k == 0 ? 0x80 : 0));
    packet[2] = (uint8_t)(seq >> 8);
    packet[3] = (uint8_t)seq;
    for (int i = 0; i < 4; i++) packet[4 + i] = (uint8_t)(timestamp >> (24 - 8 * i));
    for (int i = 0; i < 4; i++) packet[8 + i] = (uint8_t)(0xfa4e5000u >> (24 - 8 * i));
    for (int i = 0; i < FRAME; i++) packet[RTP_HEADER + i] = encode_sample(o->payload_type, out[i]);
    if (sendto(fd, packet, sizeof packet, 0, (struct sockaddr *)&far, sizeof far) < 0 && errno != ECONNREFUSED)
      fail("sendto: %s", strerror(errno));
    seq++;
    timestamp += FRAME;
    samples_done += FRAME;
    if (call_over(fax, peer, o, &terminated)) break;
    /* Until the next packet is due, take what arrives; a stalled loop sends its backlog at once. */
    tick += 0.020;
    for (;;) {
      int wait_ms = (int)((tick - monotonic_seconds()) * 1000 + 0.999);
      struct pollfd pfd = {.fd = fd, .events = POLLIN};
      int ready = poll(&pfd, 1, wait_ms > 0 ? wait_ms : 0);
      if (ready < 0 && errno != EINTR) fail("poll: %s", strerror(errno));
      if (ready <= 0) break;
      uint8_t datagram[2048];
      ssize_t size = recv(fd, datagram, sizeof datagram, 0);
      if (size > 0) receive_packet(fax, o, datagram, (int)size, &expected);
    }
  }
  close(fd);
}

static int run_call(const options_t *o) {
  peer_t peer = {.completion = -1};
  fax_state_t *fax = fax_init(NULL, o->calling);
  if (fax == NULL) fail("fax_init failed");
  set_logging(fax, o->verbose);
  /* Silence between signals is sent as samples, as a line has it; the peer never stops its stream. */
  fax_set_transmit_on_idle(fax, 1);
  t30_state_t *t30 = fax_get_t30_state(fax);
  t30_set_tx_ident(t30, o->ident);
  t30_set_ecm_capability(t30, o->ecm);
  t30_set_supported_compressions(t30, o->compressions);
  t30_set_supported_modems(t30, o->modems);
  if (o->sending)
    t30_set_tx_file(t30, o->file, -1, -1);
  else
    t30_set_rx_file(t30, o->file, -1);
  t30_set_phase_e_handler(t30, phase_e, &peer);
  if (o->rtp)
    run_rtp(fax, &peer, o);
  else
    run_lock_step(fax, &peer, o);
  print_result(&peer, o);
  fax_free(fax);
  return peer.finished && peer.completion == T30_ERR_OK ? 0 : 1;
}

/* ---- Command line ---- */

static options_t parse_options(int argc, char **argv) {
  enum { CALLING = 256, ANSWERING, NO_ECM, COMPRESSION, MODEMS, IDENT, RESULT, MAX_SECONDS, VERBOSE, RTP, BIND, PEER };
  static const struct option long_options[] = {
      {"file", required_argument, NULL, 'f'},        {"calling", no_argument, NULL, CALLING},
      {"answering", no_argument, NULL, ANSWERING},   {"no-ecm", no_argument, NULL, NO_ECM},
      {"compression", required_argument, NULL, COMPRESSION},
      {"modems", required_argument, NULL, MODEMS},   {"ident", required_argument, NULL, IDENT},
      {"result", required_argument, NULL, RESULT},   {"max-seconds", required_argument, NULL, MAX_SECONDS},
      {"verbose", no_argument, NULL, VERBOSE},       {"rtp", required_argument, NULL, RTP},
      {"bind", required_argument, NULL, BIND},       {"peer", required_argument, NULL, PEER},
      {NULL, 0, NULL, 0},
  };
  options_t o = {.ecm = 1, .ident = "SPANDSP", .max_seconds = 300, .calling = -1};
  o.compressions = parse_compressions("mmr");
  o.modems = parse_modems("v17,v29,v27ter");
  if (argc < 2 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "receive") != 0))
    fail("usage: audio-fax-peer send|receive --file FILE.tif [options] (see the source)");
  o.sending = strcmp(argv[1], "send") == 0;
  optind = 2;
  for (int c; (c = getopt_long(argc, argv, "", long_options, NULL)) != -1;) {
    switch (c) {
      case 'f': o.file = optarg; break;
      case CALLING: o.calling = 1; break;
      case ANSWERING: o.calling = 0; break;
      case NO_ECM: o.ecm = 0; break;
      case COMPRESSION: o.compressions = parse_compressions(optarg); break;
      case MODEMS: o.modems = parse_modems(optarg); break;
      case IDENT: o.ident = optarg; break;
      case RESULT: o.result = optarg; break;
      case MAX_SECONDS: o.max_seconds = parse_int("max-seconds", optarg, 1, 86400); break;
      case VERBOSE: o.verbose = 1; break;
      case RTP:
        if (strcmp(optarg, "pcmu") != 0 && strcmp(optarg, "pcma") != 0) fail("--rtp takes pcmu or pcma");
        o.rtp = 1;
        o.payload_type = strcmp(optarg, "pcmu") == 0 ? 0 : 8;
        break;
      case BIND: o.bind_port = parse_int("bind", optarg, 1, 65535); break;
      case PEER: o.peer_port = parse_int("peer", optarg, 1, 65535); break;
      default: fail("unknown option (see the source for usage)");
    }
  }
  if (optind < argc) fail("unexpected argument \"%s\"", argv[optind]);
  if (o.file == NULL) fail("--file is required");
  if (o.rtp && (o.bind_port == 0 || o.peer_port == 0)) fail("--rtp needs --bind and --peer");
  if (o.calling < 0) o.calling = o.sending;
  if (strlen(o.ident) > 20) fail("--ident is at most 20 characters");
  return o;
}

int main(int argc, char **argv) {
  options_t options = parse_options(argc, argv);
  /* A far end that has gone shows as EPIPE from write, not as a signal. */
  signal(SIGPIPE, SIG_IGN);
  return run_call(&options);
}
