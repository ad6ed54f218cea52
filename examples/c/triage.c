/* SPDX-License-Identifier: Apache-2.0 */
/* triage.c -- the smallest useful C program embedding symtri.
 *
 *   cc triage.c -I include -L build/lib -lsymtri -o triage
 *   ./triage [--rules PATH] CASE.json
 *
 * Opens the built-in rule set (or --rules PATH), triages one case file and prints the level, the red
 * flags and the questions worth asking next. Exit codes as the symtri program's: 0 ok, 2 usage,
 * 3 invalid rule set, 4 invalid case. */
#include <symtri/symtri.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file; the caller frees it. NULL on failure. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) return NULL;
    do {
        if (n == cap) {
            char *bigger = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!bigger) { free(buf); fclose(f); return NULL; }
            buf = bigger;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    const char *rules = NULL, *case_path = NULL;
    symtri_engine *engine = NULL;
    symtri_result *result = NULL;
    char *text;
    size_t len = 0, i;
    int rc;

    for (i = 1; i < (size_t)argc; ++i) {
        if (strcmp(argv[i], "--rules") == 0 && i + 1 < (size_t)argc) rules = argv[++i];
        else if (!case_path) case_path = argv[i];
        else case_path = NULL, i = (size_t)argc;
    }
    if (!case_path) {
        fprintf(stderr, "usage: %s [--rules PATH] CASE.json\n", argv[0]);
        return 2;
    }

    /* A failed open still returns a handle, so the message can be read; close it either way. */
    rc = rules ? symtri_engine_open(rules, NULL, &engine) : symtri_engine_open_builtin(NULL, &engine);
    if (rc != SYMTRI_OK) {
        fprintf(stderr, "%s\n", symtri_engine_errmsg(engine));
        symtri_engine_close(engine);
        return 3;
    }

    text = read_file(case_path, &len);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", case_path);
        symtri_engine_close(engine);
        return 4;
    }
    rc = symtri_engine_triage(engine, text, len, &result);
    free(text); /* the library copied what it needed */

    if (rc == SYMTRI_OK) {
        printf("rule set: %s %s\n", symtri_engine_id(engine), symtri_engine_version(engine));
        printf("level: %s (rank %d)\n", symtri_result_level(result), symtri_result_level_rank(result));
        printf("%s\n", symtri_result_summary(result));
        printf("red flags: %zu\n", symtri_result_red_flag_count(result));
        for (i = 0; i < symtri_result_red_flag_count(result); ++i)
            printf("  - %s [%s]: %s\n", symtri_result_red_flag(result, i), symtri_result_red_flag_level(result, i),
                   symtri_result_red_flag_title(result, i));
        for (i = 0; i < symtri_result_question_count(result) && i < 3; ++i)
            printf("ask: %s (could raise to %s)\n", symtri_result_question_prompt(result, i),
                   symtri_result_question_could_raise_to(result, i));
        if (symtri_result_complete(result) == 1) printf("interview complete: nothing left that could raise the level\n");
    } else {
        const symtri_error *err = symtri_result_error(result);
        fprintf(stderr, "%s: line %u, column %u: %s (at %s)\n", case_path, symtri_error_line(err),
                symtri_error_column(err), symtri_error_message(err), symtri_error_pointer(err));
    }
    symtri_result_destroy(result);
    symtri_engine_close(engine);
    return rc == SYMTRI_OK ? 0 : 4;
}
