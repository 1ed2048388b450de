/* An independent LSL peer for the tests: a second process on liblsl's C API (the same library the
 * workstation loads), compiled by the test with cc. No liblsl header ships with the prebuilt
 * library, so the few prototypes it uses are declared here (liblsl 1.12's lsl_c.h).
 *
 *   lsl-peer inlet NAME N          resolve NAME, print its XML, pull N samples: "S ts v0 v1 ..."
 *   lsl-peer markers-in NAME N     resolve NAME, pull N string samples: "M ts label"
 *   lsl-peer outlet NAME CH RATE SECONDS SOURCE_ID BASE [MARKERS_NAME]
 *        publish NAME (type EEG, CH channels of double, labels C1..) paced at RATE for SECONDS.
 *        Sample k (k = floor(lsl_local_clock() * RATE)) is stamped k / RATE and holds k - kbase + 1000 c
 *        in channel c (kbase = floor(BASE * RATE), or the first k when BASE is 0: printed as
 *        "BASE <seconds>"). With MARKERS_NAME, a marker stream where every 0.5 s a marker "k<value>"
 *        is stamped exactly with the sample that holds that value. Prints "READY" once consumers may connect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

typedef void *lsl_streaminfo;
typedef void *lsl_outlet;
typedef void *lsl_inlet;
typedef void *lsl_xml_ptr;
extern double lsl_local_clock(void);
extern lsl_streaminfo lsl_create_streaminfo(const char *name, const char *type, int channel_count, double nominal_srate, int channel_format, const char *source_id);
extern lsl_xml_ptr lsl_get_desc(lsl_streaminfo info);
extern lsl_xml_ptr lsl_append_child(lsl_xml_ptr e, const char *name);
extern lsl_xml_ptr lsl_append_child_value(lsl_xml_ptr e, const char *name, const char *value);
extern lsl_outlet lsl_create_outlet(lsl_streaminfo info, int chunk_size, int max_buffered);
extern int lsl_push_sample_dtp(lsl_outlet out, const double *data, double timestamp, int pushthrough);
extern int lsl_push_sample_strtp(lsl_outlet out, const char **data, double timestamp, int pushthrough);
extern int lsl_resolve_byprop(lsl_streaminfo *buffer, unsigned buffer_elements, const char *prop, const char *value, int minimum, double timeout);
extern lsl_inlet lsl_create_inlet(lsl_streaminfo info, int max_buflen, int max_chunklen, int recover);
extern lsl_streaminfo lsl_get_fullinfo(lsl_inlet in, double timeout, int *ec);
extern char *lsl_get_xml(lsl_streaminfo info);
extern int lsl_get_channel_count(lsl_streaminfo info);
extern void lsl_open_stream(lsl_inlet in, double timeout, int *ec);
extern double lsl_time_correction(lsl_inlet in, double timeout, int *ec);
extern double lsl_pull_sample_d(lsl_inlet in, double *buffer, int buffer_elements, double timeout, int *ec);
extern double lsl_pull_sample_str(lsl_inlet in, char **buffer, int buffer_elements, double timeout, int *ec);
extern void lsl_destroy_string(char *s);
extern void lsl_destroy_outlet(lsl_outlet out);
extern void lsl_destroy_inlet(lsl_inlet in);

static void sleep_until(double t) {
  double now = lsl_local_clock();
  if (t <= now) return;
  struct timespec ts = {(time_t)(t - now), (long)(fmod(t - now, 1.0) * 1e9)};
  nanosleep(&ts, NULL);
}

static lsl_inlet open_inlet(const char *name, int *channels) {
  lsl_streaminfo info;
  if (lsl_resolve_byprop(&info, 1, "name", name, 1, 20.0) < 1) { fprintf(stderr, "no stream %s\n", name); exit(3); }
  lsl_inlet in = lsl_create_inlet(info, 360, 0, 1);
  int ec = 0;
  lsl_streaminfo full = lsl_get_fullinfo(in, 10.0, &ec);
  if (ec) { fprintf(stderr, "fullinfo %d\n", ec); exit(3); }
  *channels = lsl_get_channel_count(full);
  char *xml = lsl_get_xml(full);
  printf("XML ");
  for (char *p = xml; *p; p++) if (*p != '\n' && *p != '\r') putchar(*p);
  printf("\n");
  lsl_destroy_string(xml);
  lsl_open_stream(in, 10.0, &ec);
  double tc = lsl_time_correction(in, 5.0, &ec);
  printf("TC %.9f %d\n", tc, ec);
  printf("READY\n");
  fflush(stdout);
  return in;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc >= 4 && strcmp(argv[1], "inlet") == 0) {
    int ch = 0;
    lsl_inlet in = open_inlet(argv[2], &ch);
    int n = atoi(argv[3]);
    double *v = calloc(ch, sizeof(double));
    for (int i = 0; i < n; i++) {
      int ec = 0;
      double ts = lsl_pull_sample_d(in, v, ch, 20.0, &ec);
      if (ts == 0.0 || ec) { fprintf(stderr, "pull failed %d\n", ec); return 4; }
      printf("S %.9f", ts);
      for (int c = 0; c < ch; c++) printf(" %.17g", v[c]);
      printf("\n");
    }
    lsl_destroy_inlet(in);
    return 0;
  }
  if (argc >= 4 && strcmp(argv[1], "markers-in") == 0) {
    int ch = 0;
    lsl_inlet in = open_inlet(argv[2], &ch);
    int n = atoi(argv[3]);
    for (int i = 0; i < n; i++) {
      int ec = 0;
      char *s = NULL;
      double ts = lsl_pull_sample_str(in, &s, 1, 20.0, &ec);
      if (ts == 0.0 || ec) { fprintf(stderr, "pull failed %d\n", ec); return 4; }
      printf("M %.9f %s\n", ts, s);
      lsl_destroy_string(s);
    }
    lsl_destroy_inlet(in);
    return 0;
  }
  if (argc >= 8 && strcmp(argv[1], "outlet") == 0) {
    const char *name = argv[2];
    int ch = atoi(argv[3]);
    double rate = atof(argv[4]), seconds = atof(argv[5]), base = atof(argv[7]);
    lsl_streaminfo info = lsl_create_streaminfo(name, "EEG", ch, rate, 2, argv[6]);
    lsl_xml_ptr chans = lsl_append_child(lsl_get_desc(info), "channels");
    for (int c = 0; c < ch; c++) {
      char label[16];
      snprintf(label, sizeof label, "C%d", c + 1);
      lsl_xml_ptr e = lsl_append_child(chans, "channel");
      lsl_append_child_value(e, "label", label);
      lsl_append_child_value(e, "unit", "microvolts");
      lsl_append_child_value(e, "type", "EEG");
    }
    lsl_outlet out = lsl_create_outlet(info, 0, 360);
    lsl_outlet mout = NULL;
    if (argc >= 9) {
      char msid[256];
      snprintf(msid, sizeof msid, "%s-markers", argv[6]);
      mout = lsl_create_outlet(lsl_create_streaminfo(argv[8], "Markers", 1, 0.0, 3, msid), 0, 360);
    }
    double start = lsl_local_clock();
    long long k = (long long)floor(start * rate);
    long long kbase = base > 0 ? (long long)floor(base * rate) : k;
    printf("BASE %.9f\nREADY\n", base > 0 ? base : (double)kbase / rate);
    fflush(stdout);
    long long end = k + (long long)(seconds * rate);
    long long every = (long long)(rate / 2);
    double *v = calloc(ch, sizeof(double));
    for (; k < end; k++) {
      double ts = (double)k / rate;
      sleep_until(ts);
      for (int c = 0; c < ch; c++) v[c] = (double)(k - kbase) + 1000.0 * c;
      lsl_push_sample_dtp(out, v, ts, 1);
      if (mout && (k - kbase) % every == 0 && k - kbase > 0) {
        char label[64];
        snprintf(label, sizeof label, "k%lld", k - kbase);
        const char *p = label;
        lsl_push_sample_strtp(mout, &p, ts, 1);
      }
    }
    if (mout) lsl_destroy_outlet(mout);
    lsl_destroy_outlet(out);
    printf("DONE\n");
    return 0;
  }
  fprintf(stderr, "usage: see the header of lsl-peer.c\n");
  return 2;
}
