/* SPDX-License-Identifier: Apache-2.0 */
/* A C consumer of the installed libsymtri (symtri::capi or pkg-config --libs symtri). */
#include <stdio.h>
#include <string.h>

#include <symtri/symtri.h>

int main(void) {
    symtri_engine *engine = NULL;
    symtri_result *result = NULL;
    const char *c = "{\"findings\": {\"sciatica\": true, \"saddle_numbness\": true}}";
    int rc;
    if (strcmp(symtri_version(), SYMTRI_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s, library %s\n", SYMTRI_VERSION_STRING, symtri_version());
        return 1;
    }
    rc = symtri_engine_open_builtin(NULL, &engine);
    if (rc != SYMTRI_OK) {
        fprintf(stderr, "open: %s\n", symtri_engine_errmsg(engine));
        symtri_engine_close(engine);
        return 3;
    }
    rc = symtri_engine_triage(engine, c, strlen(c), &result);
    if (rc != SYMTRI_OK) {
        fprintf(stderr, "triage: %s\n", symtri_result_errmsg(result));
        symtri_result_destroy(result);
        symtri_engine_close(engine);
        return 4;
    }
    printf("C API %s: level %s\n", symtri_version(), symtri_result_level(result));
    rc = strcmp(symtri_result_level(result), "emergency") == 0 ? 0 : 1;
    symtri_result_destroy(result);
    symtri_engine_close(engine);
    return rc;
}
