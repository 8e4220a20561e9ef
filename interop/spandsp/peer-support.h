/*
 * What the SpanDSP test peers share: a fatal error that exits 2, JSON strings, and whole numbers, T.30 codings and
 * image modems from the command line. Each peer defines PEER_NAME before including this header.
 */
#ifndef PEER_SUPPORT_H
#define PEER_SUPPORT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

static void fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs(PEER_NAME ": ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  exit(2);
}

static void print_json_string(FILE *out, const char *text) {
  fputc('"', out);
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    if (*c == '"' || *c == '\\')
      fprintf(out, "\\%c", *c);
    else if (*c < 0x20 || *c > 0x7e)
      fprintf(out, "\\u%04x", *c);
    else
      fputc(*c, out);
  }
  fputc('"', out);
}

static int parse_int(const char *name, const char *text, int min, int max) {
  char *end;
  long value = strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || value < min || value > max)
    fail("--%s must be a whole number from %d to %d (got \"%s\")", name, min, max, text);
  return (int)value;
}

/* mh, mr or mmr: the best coding offered, as SpanDSP's T30_SUPPORT_* set. */
static int parse_compressions(const char *text) {
  int mh = T30_SUPPORT_T4_1D_COMPRESSION;
  if (strcmp(text, "mh") == 0) return mh;
  if (strcmp(text, "mr") == 0) return mh | T30_SUPPORT_T4_2D_COMPRESSION;
  if (strcmp(text, "mmr") == 0) return mh | T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION;
  fail("--compression must be mh, mr or mmr (got \"%s\")", text);
  return 0;
}

/* v17,v29,v27ter or a part of it: the image modems offered, as SpanDSP's T30_SUPPORT_* set. */
static int parse_modems(const char *text) {
  int modems = 0;
  char list[64];
  snprintf(list, sizeof list, "%s", text);
  for (char *save = NULL, *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
    if (strcmp(name, "v17") == 0)
      modems |= T30_SUPPORT_V17;
    else if (strcmp(name, "v29") == 0)
      modems |= T30_SUPPORT_V29;
    else if (strcmp(name, "v27ter") == 0)
      modems |= T30_SUPPORT_V27TER;
    else
      fail("--modems takes a part of v17,v29,v27ter (got \"%s\")", text);
  }
  if (modems == 0) fail("--modems names no modem");
  return modems;
}

#endif
