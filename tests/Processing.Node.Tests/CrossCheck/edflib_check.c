/* Opens a BDF/EDF file with EDFlib (Debian's libedf, Teunis van Beelen's reference library), which
 * checks the header and every data record's time-keeping strictly, and prints what it read:
 *   open=<return of edfopen_file_readonly> filetype=<0..3 or error code> signals=<n> records=<n>
 *   annotations=<n> record_duration_100ns=<n> subsecond_100ns=<n>
 *   signal <i> label=<label> smp_in_file=<n> first=<first 4 digital values>
 *   annotation onset_100ns=<n> duration=<text> text=<text>
 * Exit code 0 when the file opened, 1 when EDFlib refused it, 2 on bad arguments.
 * Build: gcc -O1 -o edflib_check edflib_check.c -ledf */
#include <stdio.h>
#include <string.h>
#include <edflib.h>

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: edflib_check <file.bdf>\n"); return 2; }
    struct edf_hdr_struct hdr;
    memset(&hdr, 0, sizeof hdr);
    int result = edfopen_file_readonly(argv[1], &hdr, EDFLIB_READ_ALL_ANNOTATIONS);
    printf("open=%d filetype=%d\n", result, hdr.filetype);
    if (result != 0) return 1;
    printf("signals=%d records=%lld annotations=%lld record_duration_100ns=%lld subsecond_100ns=%lld\n",
           hdr.edfsignals, hdr.datarecords_in_file, hdr.annotations_in_file, hdr.datarecord_duration, hdr.starttime_subsecond);
    for (int s = 0; s < hdr.edfsignals && s < 3; s++) {
        int buf[4] = {0, 0, 0, 0};
        int n = edfread_digital_samples(hdr.handle, s, 4, buf);
        char label[17];
        strncpy(label, hdr.signalparam[s].label, 16);
        label[16] = 0;
        for (int i = (int)strlen(label) - 1; i >= 0 && label[i] == ' '; i--) label[i] = 0;
        printf("signal %d label=%s smp_in_file=%lld read=%d first=%d,%d,%d,%d\n", s, label,
               hdr.signalparam[s].smp_in_file, n, buf[0], buf[1], buf[2], buf[3]);
    }
    for (long long a = 0; a < hdr.annotations_in_file; a++) {
        struct edf_annotation_struct annot;
        if (edf_get_annotation(hdr.handle, (int)a, &annot) == 0)
            printf("annotation onset_100ns=%lld duration=%s text=%s\n", annot.onset, annot.duration, annot.annotation);
    }
    edfclose_file(hdr.handle);
    return 0;
}
