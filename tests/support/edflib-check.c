/* Opens a BDF/EDF file with EDFlib (the library EDFbrowser is built on) and prints what it saw as
 * JSON: the file type, signals, records, the first samples of signal 0, and the annotations.
 * Exit code 2 with the EDFlib error number when EDFlib refuses the file. Compiled by the tests. */
#include <stdio.h>
#include <edflib.h>

int main(int argc, char **argv) {
  struct edf_hdr_struct hdr;
  if (argc != 2) return 64;
  if (edfopen_file_readonly(argv[1], &hdr, EDFLIB_READ_ALL_ANNOTATIONS) < 0) {
    printf("{\"error\": %d}\n", hdr.filetype);
    return 2;
  }
  double samples[4];
  int n = edfread_physical_samples(hdr.handle, 0, 4, samples);
  printf("{\"filetype\": %d, \"signals\": %d, \"records\": %lld, \"durationSec\": %.6f, \"patientcode\": \"%s\", \"label0\": \"%s\", \"rate0\": %lld, \"first\": [",
         hdr.filetype, hdr.edfsignals, hdr.datarecords_in_file, hdr.file_duration / 1e7, hdr.patientcode,
         hdr.signalparam[0].label, hdr.signalparam[0].smp_in_datarecord);
  for (int i = 0; i < n; i++) printf("%s%.6f", i ? ", " : "", samples[i]);
  printf("], \"annotations\": [");
  for (long long i = 0; i < hdr.annotations_in_file; i++) {
    struct edf_annotation_struct a;
    edf_get_annotation(hdr.handle, (int)i, &a);
    printf("%s[%.4f, \"%s\"]", i ? ", " : "", a.onset / 1e7, a.annotation);
  }
  printf("]}\n");
  edfclose_file(hdr.handle);
  return 0;
}
