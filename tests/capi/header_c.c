/* SPDX-License-Identifier: Apache-2.0 */
/* symtri.h compiled as C99 (-std=c99 -pedantic -Werror), linked against libsymtri, and exercised a
 * little: a failed open keeps its message, a triage gives a level, NULL everywhere is harmless. */
#include <symtri/symtri.h>

#include <stdio.h>
#include <string.h>

static int failures = 0;
#define EXPECT(cond)                                                        \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                     \
        }                                                                   \
    } while (0)

int main(int argc, char **argv) {
    symtri_engine *engine = NULL;
    symtri_result *result = NULL;
    const char *json = "{\"findings\": {\"sciatica\": true, \"saddle_numbness\": true}}";
    size_t len = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: %s RULES BAD_RULES\n", argv[0]);
        return 2;
    }

    EXPECT(symtri_version_number() == SYMTRI_VERSION_NUMBER);
    EXPECT(strcmp(symtri_version(), SYMTRI_VERSION_STRING) == 0);

    EXPECT(symtri_engine_open(argv[2], NULL, &engine) == SYMTRI_INVALID_RULESET);
    EXPECT(engine != NULL);
    EXPECT(symtri_error_line(symtri_engine_error(engine, 0)) > 0);
    EXPECT(strlen(symtri_engine_errmsg(engine)) > 0);
    symtri_engine_close(engine);

    EXPECT(symtri_engine_open(argv[1], NULL, &engine) == SYMTRI_OK);
    EXPECT(symtri_engine_triage(engine, json, SYMTRI_NUL_TERMINATED, &result) == SYMTRI_OK);
    EXPECT(strcmp(symtri_result_level(result), "emergency") == 0);
    EXPECT(symtri_result_red_flag_count(result) == 1);
    EXPECT(symtri_result_json(result, &len) != NULL && len > 0);
    EXPECT(symtri_result_complete(result) == 0 || symtri_result_complete(result) == 1);
    EXPECT(symtri_result_complete(result) == 1 ? symtri_result_next_question(result) == SYMTRI_NO_QUESTION
                                               : symtri_result_next_question(result) == 0);
    EXPECT(symtri_result_question_attribute(result, 999) == NULL);
    EXPECT(symtri_result_question_unit(result, 999, NULL, NULL) == NULL);
    symtri_result_destroy(result);

    {
        char *explained = NULL;
        size_t explained_len = 0;
        EXPECT(symtri_engine_explain(engine, "no_such_rule", json, SYMTRI_NUL_TERMINATED, &explained, &explained_len) ==
               SYMTRI_MISUSE);
        EXPECT(explained != NULL);
        symtri_free(explained);
        symtri_free(NULL);
    }

    EXPECT(symtri_engine_triage(engine, "{\"findings\": {\"x\": 1}}", SYMTRI_NUL_TERMINATED, &result) == SYMTRI_INVALID_CASE);
    EXPECT(strcmp(symtri_error_pointer(symtri_result_error(result)), "/findings/x") == 0);
    symtri_result_destroy(result);

    EXPECT(symtri_engine_triage(NULL, json, 3, &result) == SYMTRI_MISUSE);
    symtri_result_destroy(result);
    symtri_engine_close(engine);
    symtri_engine_close(NULL);
    symtri_result_destroy(NULL);
    symtri_batch_destroy(NULL);
    symtri_options_destroy(NULL);

    if (failures) return 1;
    printf("symtri.h as C99: ok (library %s)\n", symtri_version());
    return 0;
}
