/*
 * audio-fax-peer: SpanDSP's audio fax terminal (fax_state_t: T.30 on SpanDSP's own V.21, V.27ter, V.29 and V.17
 * modems) driven in lock step over pipes, the reference peer for faxd's audio front end (audio-fax reference §6.3).
 * SpanDSP on G.711 RTP in real time is rtp-fax-peer.c.
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
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  run_lock_step(fax, &peer, o);
  print_result(&peer, o);
  fax_free(fax);
  return peer.finished && peer.completion == T30_ERR_OK ? 0 : 1;
}

/* ---- Command line ---- */

static options_t parse_options(int argc, char **argv) {
  enum { CALLING = 256, ANSWERING, NO_ECM, COMPRESSION, MODEMS, IDENT, RESULT, MAX_SECONDS, VERBOSE };
  static const struct option long_options[] = {
      {"file", required_argument, NULL, 'f'},        {"calling", no_argument, NULL, CALLING},
      {"answering", no_argument, NULL, ANSWERING},   {"no-ecm", no_argument, NULL, NO_ECM},
      {"compression", required_argument, NULL, COMPRESSION},
      {"modems", required_argument, NULL, MODEMS},   {"ident", required_argument, NULL, IDENT},
      {"result", required_argument, NULL, RESULT},   {"max-seconds", required_argument, NULL, MAX_SECONDS},
      {"verbose", no_argument, NULL, VERBOSE},
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
      default: fail("unknown option (see the source for usage)");
    }
  }
  if (optind < argc) fail("unexpected argument \"%s\"", argv[optind]);
  if (o.file == NULL) fail("--file is required");
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
