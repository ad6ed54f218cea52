/* SPDX-License-Identifier: Apache-2.0 */
/*
 * symtri.h -- the C API of symtri, a rule-based symptom triage engine.
 *
 * Pure C99; link with -lsymtri (CMake: symtri::capi). C++ programs may use this header or the
 * header-only C++ API (symtri.hpp), which needs no library at all.
 *
 *   symtri_engine *engine;
 *   if (symtri_engine_open_builtin(NULL, &engine) != SYMTRI_OK) {
 *       fprintf(stderr, "%s\n", symtri_engine_errmsg(engine));   // a failed open still gives a handle
 *       symtri_engine_close(engine);
 *       return 1;
 *   }
 *   symtri_result *r;
 *   const char *json = "{\"findings\": {\"sciatica\": true, \"saddle_numbness\": true}}";
 *   if (symtri_engine_triage(engine, json, SYMTRI_NUL_TERMINATED, &r) == SYMTRI_OK)
 *       printf("%s (%zu red flags)\n", symtri_result_level(r), symtri_result_red_flag_count(r));
 *   else
 *       fprintf(stderr, "%s\n", symtri_result_errmsg(r));
 *   symtri_result_destroy(r);
 *   symtri_engine_close(engine);
 *
 * Conventions (after SQLite and tree-sitter):
 *   - Every handle is opaque. Functions are named symtri_<object>_<verb>, the object first.
 *   - Functions that can fail return an int status: SYMTRI_OK (0) or one of the codes below. They never
 *     crash on a NULL or otherwise bad argument and never let a C++ exception escape.
 *   - An error is kept on the handle that failed, never in a global: a failed open still returns an
 *     engine handle (read the message, then close it); a rejected case still returns a result handle.
 *   - Text goes in as (pointer, length); pass SYMTRI_NUL_TERMINATED as the length for a C string.
 *     All text is UTF-8. Text the library returns is NUL-terminated UTF-8 owned by the handle it came
 *     from: valid until that handle is closed/destroyed. Never free() it.
 *   - Destroy/close functions accept NULL.
 *
 * Threads: an engine is immutable once open. Any number of threads may call any function on the same
 * engine at once (triage included: each call takes its own scratch space from a small internal pool).
 * A result, a batch and an options object belong to one thread at a time; their read-only accessors may
 * be called from several threads at once as long as nobody destroys the handle meanwhile.
 *
 * Replacing the rules while the program runs (hot swap): engines are reference-counted.
 *
 *   // shared:  pthread_mutex_t lock;  symtri_engine *current;
 *   // a request:
 *   pthread_mutex_lock(&lock); symtri_engine *e = symtri_engine_retain(current); pthread_mutex_unlock(&lock);
 *   symtri_engine_triage(e, ...); ...; symtri_engine_close(e);       // drop this call's reference
 *   // reloading:
 *   symtri_engine *fresh; if (symtri_engine_open(path, NULL, &fresh) != SYMTRI_OK) { ...keep the old... }
 *   pthread_mutex_lock(&lock); symtri_engine *old = current; current = fresh; pthread_mutex_unlock(&lock);
 *   symtri_engine_close(old);   // freed when the last in-flight call closes its reference
 *
 * Results never point into their engine: a result stays valid after its engine is closed.
 */
#ifndef SYMTRI_H
#define SYMTRI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(SYMTRI_CAPI_BUILDING)
#define SYMTRI_API __declspec(dllexport)
#elif defined(__GNUC__) && defined(SYMTRI_CAPI_BUILDING)
#define SYMTRI_API __attribute__((visibility("default")))
#else
#define SYMTRI_API
#endif

/* ------------------------------------------------------------------------------------------ versions */

/* The version of this header. Equal to the library's at run time when header and library match:
 *   if (symtri_version_number() != SYMTRI_VERSION_NUMBER) ...  (they must agree at least in MAJOR.MINOR) */
#define SYMTRI_VERSION_MAJOR 0
#define SYMTRI_VERSION_MINOR 1
#define SYMTRI_VERSION_PATCH 0
#define SYMTRI_VERSION_STRING "0.1.0"
/* MAJOR * 1000000 + MINOR * 1000 + PATCH, as SQLITE_VERSION_NUMBER: 0.1.0 is 1000 */
#define SYMTRI_VERSION_NUMBER (SYMTRI_VERSION_MAJOR * 1000000 + SYMTRI_VERSION_MINOR * 1000 + SYMTRI_VERSION_PATCH)

/* Rule-file format versions the engine reads: the current one and the oldest still accepted. */
#define SYMTRI_RULES_FORMAT_VERSION 1
#define SYMTRI_RULES_FORMAT_MIN_VERSION 1

/* The library's version, "0.1.0". Static storage; any thread. */
SYMTRI_API const char *symtri_version(void);
/* The library's SYMTRI_VERSION_NUMBER. Any thread. */
SYMTRI_API int symtri_version_number(void);
/* The rule-file format versions the library reads (current and minimum). Any thread. */
SYMTRI_API int symtri_rules_format_version(void);
SYMTRI_API int symtri_rules_format_min_version(void);

/* --------------------------------------------------------------------------------------- status codes */

/* Return codes. The numbers are fixed; they equal symtri::Status in the C++ API and, for 2-4, the exit
 * codes of the symtri program. */
#define SYMTRI_OK 0
#define SYMTRI_MISUSE 1           /* the API was called wrongly: NULL handle, bad argument, failed engine */
#define SYMTRI_USAGE 2            /* (command-line usage error; not returned by this API) */
#define SYMTRI_INVALID_RULESET 3  /* a rule set failed to load or compile */
#define SYMTRI_INVALID_CASE 4     /* a case was rejected (bad JSON, unknown finding, value out of range...) */
#define SYMTRI_IO 5               /* a file could not be read, or this build has no built-in rule set */
#define SYMTRI_LIMIT 6            /* a configured limit was exceeded */
#define SYMTRI_NOMEM 7            /* out of memory */
#define SYMTRI_INTERNAL 8         /* a bug in symtri; please report it */

/* "ok", "misuse", "invalid_ruleset", ...; "unknown" for other numbers. Static storage; any thread. */
SYMTRI_API const char *symtri_status_name(int status);

/* Pass as a length to mean "up to the first NUL byte". */
#define SYMTRI_NUL_TERMINATED ((size_t)-1)

/* ---------------------------------------------------------------------------------------------- types */

typedef struct symtri_options symtri_options; /* settings for opening an engine */
typedef struct symtri_engine symtri_engine;   /* a compiled rule set, immutable, shareable */
typedef struct symtri_result symtri_result;   /* the outcome of triaging one case */
typedef struct symtri_batch symtri_batch;     /* the output of triaging JSON Lines */
typedef struct symtri_error symtri_error;     /* one diagnostic, owned by the handle it came from */

/* ------------------------------------------------------------------------------------------- errors */

/* A diagnostic: what went wrong and where. Owned by the engine or result it was read from; valid until
 * that handle is closed/destroyed. All functions accept NULL (returning 0 or ""). */
/* The status it belongs to (SYMTRI_INVALID_RULESET, SYMTRI_INVALID_CASE, ...). */
SYMTRI_API int symtri_error_status(const symtri_error *err);
/* A machine-readable id: "unknown_finding", "syntax", "invalid_json", "misuse", ... */
SYMTRI_API const char *symtri_error_code(const symtri_error *err);
/* One line, no position: "unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?)". */
SYMTRI_API const char *symtri_error_message(const symtri_error *err);
/* The rule file it is in; "" for a case or a string without a name. */
SYMTRI_API const char *symtri_error_file(const symtri_error *err);
/* 1-based line and column (columns count code points); 0 when unknown. */
SYMTRI_API unsigned symtri_error_line(const symtri_error *err);
SYMTRI_API unsigned symtri_error_column(const symtri_error *err);
/* The JSON Pointer of the offending value, e.g. "/findings/sadle_numbness"; "" for the whole document. */
SYMTRI_API const char *symtri_error_pointer(const symtri_error *err);
/* All of it, as a compiler would: "rules/back.json:42:17: error: unknown finding ... at /rules/3/when". */
SYMTRI_API const char *symtri_error_text(const symtri_error *err);

/* ------------------------------------------------------------------------------------------ options */

/* Settings for symtri_engine_open*. Pass NULL to those for the defaults. Each option has one public
 * name, the same in every API, in the CLI (--limit NAME=N) and in the error a limit gives ("... (max_depth)");
 * it is shown after each one below. Going over a limit is an error with code "limit" naming it.
 * The numbers are fixed: new options are appended. */
typedef enum symtri_option {
    SYMTRI_OPT_MAX_CASE_BYTES = 1,  /* max_case_bytes: largest case JSON accepted, and batch line (default 1 MiB) */
    SYMTRI_OPT_MAX_CASE_DEPTH = 2,  /* max_case_depth: deepest JSON nesting in a case (default 16) */
    SYMTRI_OPT_MAX_FILE_BYTES = 3,  /* max_file_bytes: largest rule file, or rule text given as a string (default 8 MiB) */
    SYMTRI_OPT_MAX_DEPTH = 4,       /* max_depth: deepest JSON nesting in a rule file, and of conditions through
                                       named conditions (default 64) */
    SYMTRI_OPT_MAX_RULE_DEPTH = 4,  /* the same option under its older C name; kept, not deprecated for removal */
    SYMTRI_OPT_MAX_FILES = 5,       /* max_files: most rule files one rule set may include (default 1000) */
    SYMTRI_OPT_MAX_RULES = 6,       /* max_rules: most rules in a rule set (default 100000) */
    SYMTRI_OPT_POOL_SIZE = 7,       /* pool_size: most idle triage sessions an engine keeps for reuse (default 64;
                                       0: a fresh session per call, the least memory) */
    SYMTRI_OPT_MAX_CONDITION_NODES = 8, /* max_condition_nodes: most condition nodes per rule, named conditions
                                           written out (default 10000) */
    SYMTRI_OPT_MAX_QUESTIONS = 9,   /* max_questions: most questions a result lists, highest level first
                                       (default 0: all). Not a limit that fails: the list is cut. */
    SYMTRI_OPT_MAX_TOTAL_BYTES = 10, /* max_total_bytes: all rule files of one rule set together, or rule text
                                       given as a string (default 64 MiB) */
    SYMTRI_OPT_LIST_OTHER_QUESTIONS = 11 /* list_other_questions: 1 = results also list, in "other_question_list",
                                            the unknowns that could raise the level but are not asked (default 0:
                                            only counted, symtri_result_other_questions). Only 0 or 1. */
    ,
    /* Switches that let loading touch the host process beyond allocating memory; each is 0 (off) unless the host
     * sets it to 1, and the rule set is the same either way (see docs/performance.md, "Load options"). */
    SYMTRI_OPT_RELEASE_MEMORY = 12, /* release_memory: 1 = after loading, hand freed heap memory back to the system
                                       (glibc malloc_trim(0), over the whole process heap) */
    SYMTRI_OPT_PARALLEL = 13,       /* parallel: 1 = a large rule set may load on a second thread (ended before the
                                       open returns) */
    SYMTRI_OPT_ADVISE_MEMORY = 14   /* advise_memory: 1 = ask Linux (madvise) for huge pages and whole-buffer mapping
                                       for the large buffers a load fills */
} symtri_option;

/* Makes an options object with the defaults. Returns SYMTRI_OK, SYMTRI_MISUSE (out is NULL) or
 * SYMTRI_NOMEM (*out set to NULL). The caller owns *out: free it with symtri_options_destroy. */
SYMTRI_API int symtri_options_create(symtri_options **out);
/* Sets one option (a symtri_option). Returns SYMTRI_OK, or SYMTRI_MISUSE for a NULL handle, an unknown option, a value
 * below 1 (below 0 for SYMTRI_OPT_POOL_SIZE and SYMTRI_OPT_MAX_QUESTIONS; SYMTRI_OPT_LIST_OTHER_QUESTIONS and the
 * load switches 12-14 take only 0 or 1) or a depth (SYMTRI_OPT_MAX_DEPTH, SYMTRI_OPT_MAX_CASE_DEPTH) above 1000, past which a hostile input could
 * overflow the stack; the options then keep their previous
 * value. Not thread-safe on one object. An engine takes the options when it is opened: setting them later
 * does not change engines already open. */
SYMTRI_API int symtri_options_set(symtri_options *opts, int option, long long value);
/* Reads one option; -1 for a NULL handle or an unknown option. */
SYMTRI_API long long symtri_options_get(const symtri_options *opts, int option);
/* Frees the options. NULL is fine. An engine opened with them keeps its own copy. */
SYMTRI_API void symtri_options_destroy(symtri_options *opts);

/* ------------------------------------------------------------------------------------ opening engines */

/* Each open function sets *out to a new engine handle, even on failure (then the handle holds the
 * errors; read them, then close it). Only when out is NULL (SYMTRI_MISUSE) or memory runs out
 * (SYMTRI_NOMEM) is *out left NULL. The caller owns *out and closes it with symtri_engine_close.
 * Any thread; opening does not touch other engines. */

/* Opens a rule set from a root file, or from a directory holding index.json. Returns SYMTRI_OK,
 * SYMTRI_INVALID_RULESET (every problem is listed, with file/line/column/pointer), SYMTRI_IO (nothing
 * could be read) or SYMTRI_MISUSE (path or out is NULL). */
SYMTRI_API int symtri_engine_open(const char *path, const symtri_options *opts, symtri_engine **out);

/* Opens a rule set held in memory: `text` (len bytes, or SYMTRI_NUL_TERMINATED) is the root file, which
 * may not include other files. `name` stands for the file name in messages (NULL: "<string>"). The text
 * is copied; the caller keeps ownership. Returns as symtri_engine_open. */
SYMTRI_API int symtri_engine_open_string(const char *text, size_t len, const char *name,
                                         const symtri_options *opts, symtri_engine **out);

/* Opens the rule set built into the library (the shipped rules/). Returns as symtri_engine_open;
 * SYMTRI_IO when this build has none (see symtri_has_builtin). */
SYMTRI_API int symtri_engine_open_builtin(const symtri_options *opts, symtri_engine **out);

/* 1 when the library carries a built-in rule set, else 0. Any thread. */
SYMTRI_API int symtri_has_builtin(void);

/* Adds a reference to the engine and returns it (NULL for NULL). Each reference is dropped by one
 * symtri_engine_close; the engine is freed when the last one is. Any thread. */
SYMTRI_API symtri_engine *symtri_engine_retain(symtri_engine *engine);
/* The same, storing the engine in *out once the reference is counted: for bindings that can be
 * interrupted between a call's return and keeping its result (Python's KeyboardInterrupt), so a
 * reference is never counted without being held. Returns SYMTRI_OK, or SYMTRI_MISUSE (out NULL;
 * engine NULL sets *out to NULL). Any thread. */
SYMTRI_API int symtri_engine_retain_into(symtri_engine *engine, symtri_engine **out);

/* Drops a reference; frees the engine with the last one. NULL is fine. The caller must not use this
 * reference afterwards; other references (other threads' in-flight calls) stay valid. */
SYMTRI_API void symtri_engine_close(symtri_engine *engine);

/* SYMTRI_OK when the engine opened, else the status its open returned (SYMTRI_MISUSE for NULL). */
SYMTRI_API int symtri_engine_errcode(const symtri_engine *engine);
/* Every problem of a failed open, one per line, as symtri_error_text; "" when it opened. Owned by the
 * engine. A NULL engine gives a static message. */
SYMTRI_API const char *symtri_engine_errmsg(const symtri_engine *engine);
/* How many diagnostics a failed open left (0 when it opened), and the i-th (NULL when out of range). */
SYMTRI_API size_t symtri_engine_error_count(const symtri_engine *engine);
SYMTRI_API const symtri_error *symtri_engine_error(const symtri_engine *engine, size_t i);

/* ----------------------------------------------------------------------------------- what it knows */

/* These read the immutable rule set: any thread, any time. Strings are owned by the engine (valid
 * until its last reference is closed). On a NULL or failed engine, or an index out of range, they
 * return NULL (strings), 0 (counts) or -1 (indices).
 *
 * `locale` picks a translation ("fr", "fr-CA"); NULL or a locale the rule set lacks gives English. */

SYMTRI_API const char *symtri_engine_id(const symtri_engine *engine);       /* "symtri.neuromuscular" */
SYMTRI_API const char *symtri_engine_version(const symtri_engine *engine);  /* the rule set's content version */
SYMTRI_API const char *symtri_engine_digest(const symtri_engine *engine);   /* "sha256:..." */
SYMTRI_API const char *symtri_engine_validation(const symtri_engine *engine); /* research|testing|production */
SYMTRI_API const char *symtri_engine_title(const symtri_engine *engine, const char *locale);
SYMTRI_API const char *symtri_engine_disclaimer(const symtri_engine *engine, const char *locale);
SYMTRI_API size_t symtri_engine_rule_count(const symtri_engine *engine);
SYMTRI_API size_t symtri_engine_finding_count(const symtri_engine *engine);
SYMTRI_API size_t symtri_engine_level_count(const symtri_engine *engine);

/* Levels, lowest first: index i is the level_rank of a result at that level. */
SYMTRI_API const char *symtri_engine_level_id(const symtri_engine *engine, size_t i);
SYMTRI_API const char *symtri_engine_level_label(const symtri_engine *engine, size_t i, const char *locale);
SYMTRI_API const char *symtri_engine_level_action(const symtri_engine *engine, size_t i, const char *locale);
SYMTRI_API const char *symtri_engine_level_worse(const symtri_engine *engine, size_t i, const char *locale);
SYMTRI_API const char *symtri_engine_level_indicator(const symtri_engine *engine, size_t i); /* info|warning|critical */
/* The rank of a level id, or -1. */
SYMTRI_API int symtri_engine_level_index(const symtri_engine *engine, const char *id);

/* The vocabulary, in the rule set's order: every finding a case may give. */
SYMTRI_API const char *symtri_engine_finding_id(const symtri_engine *engine, size_t i);
SYMTRI_API const char *symtri_engine_finding_label(const symtri_engine *engine, size_t i, const char *locale);
SYMTRI_API const char *symtri_engine_finding_question(const symtri_engine *engine, size_t i, const char *locale);
SYMTRI_API const char *symtri_engine_finding_group(const symtri_engine *engine, size_t i); /* "" when none */
/* The index of a finding id or alias, or -1. */
SYMTRI_API int symtri_engine_finding_index(const symtri_engine *engine, const char *id);

/* ------------------------------------------------------------------------------------------- triage */

/* Triages one case, given as JSON (CONTRACT.md section 2), `len` bytes or SYMTRI_NUL_TERMINATED.
 * Sets *out to a new result handle, also when the case is rejected (then the result holds the error).
 * Returns SYMTRI_OK, SYMTRI_INVALID_CASE (bad JSON or UTF-8, unknown finding, wrong type, value out of
 * range, case over the size limit), SYMTRI_MISUSE (NULL or failed engine, NULL text with a non-zero
 * length, an implausible length; *out holds the message when out is not NULL) or SYMTRI_NOMEM (*out is
 * NULL). The caller owns *out: destroy it with symtri_result_destroy.
 * Any thread, at the same time as other calls on the same engine. */
SYMTRI_API int symtri_engine_triage(const symtri_engine *engine, const char *case_json, size_t len,
                                    symtri_result **out);

/* Frees a result. NULL is fine. */
SYMTRI_API void symtri_result_destroy(symtri_result *result);

/* SYMTRI_OK when the case was triaged, else why not (SYMTRI_MISUSE for NULL). */
SYMTRI_API int symtri_result_errcode(const symtri_result *result);
/* The error as one line (symtri_error_text), "" when the case was triaged. */
SYMTRI_API const char *symtri_result_errmsg(const symtri_result *result);
/* The error with its position in the case JSON, or NULL when the case was triaged. */
SYMTRI_API const symtri_error *symtri_result_error(const symtri_result *result);

/* The result JSON (CONTRACT.md section 3), one line, byte for byte what `symtri triage` prints. For a
 * rejected case, the error object `symtri triage` prints instead:
 *   {"case_id":...,"error":{"code":...,"message":...,"path":...,"line":...,"column":...}}
 * Sets *len (if not NULL) to its length. NULL for a NULL result. */
SYMTRI_API const char *symtri_result_json(const symtri_result *result, size_t *len);

/* The case's case_id, or NULL when it had none. A case_id may hold U+0000 ("\u0000" in the JSON), where
 * this string would end early: symtri_result_case_id_len gives it whole. */
SYMTRI_API const char *symtri_result_case_id(const symtri_result *result);
/* The case's case_id and its length in bytes (*len, when len is not NULL; 0 for NULL), NUL bytes
 * included; still NUL-terminated. NULL when the case had none. */
SYMTRI_API const char *symtri_result_case_id_len(const symtri_result *result, size_t *len);
/* The triage level id ("emergency"), or NULL for a rejected case. */
SYMTRI_API const char *symtri_result_level(const symtri_result *result);
/* The level's rank (0 = lowest level), or -1 for a rejected case. */
SYMTRI_API int symtri_result_level_rank(const symtri_result *result);
/* The one-line summary a person can act on, or NULL for a rejected case. */
SYMTRI_API const char *symtri_result_summary(const symtri_result *result);

/* Red flags that fired, most urgent first: rule id, level id, title and advice (in the case's locale). */
SYMTRI_API size_t symtri_result_red_flag_count(const symtri_result *result);
SYMTRI_API const char *symtri_result_red_flag(const symtri_result *result, size_t i);
SYMTRI_API const char *symtri_result_red_flag_level(const symtri_result *result, size_t i);
SYMTRI_API const char *symtri_result_red_flag_title(const symtri_result *result, size_t i);
SYMTRI_API const char *symtri_result_red_flag_advice(const symtri_result *result, size_t i);

/* The interview's questions (CONTRACT.md section 5), in the order to ask them: questions about what the
 * person said and the rule set's screening questions. A question is about a finding ("Any numbness
 * around the saddle area?") or about one attribute of a finding the case gives as present ("Is the pain
 * in one leg or both?"). finding id, the question to ask (case's locale), and the highest level id it
 * could lead to together with other answers. 0 / NULL for a rejected case or an index out of range. */
SYMTRI_API size_t symtri_result_question_count(const symtri_result *result);
SYMTRI_API const char *symtri_result_question_finding(const symtri_result *result, size_t i);
SYMTRI_API const char *symtri_result_question_prompt(const symtri_result *result, size_t i);
SYMTRI_API const char *symtri_result_question_could_raise_to(const symtri_result *result, size_t i);
/* The finding's short label ("Saddle numbness"). */
SYMTRI_API const char *symtri_result_question_label(const symtri_result *result, size_t i);
/* The attribute asked about ("side", "sites", "duration_days", ...), or NULL for a finding question. */
SYMTRI_API const char *symtri_result_question_attribute(const symtri_result *result, size_t i);
/* Finding questions: the exact level id this result would have if that one finding alone were answered
 * present (it may equal the result's level: the finding matters only together with other answers).
 * NULL for attribute questions. */
SYMTRI_API const char *symtri_result_question_if_yes(const symtri_result *result, size_t i);
/* 1 for one of the rule set's screening questions (asked of every person), 0 otherwise or out of range. */
SYMTRI_API int symtri_result_question_screening(const symtri_result *result, size_t i);
/* Attribute questions with choices: how many, the j-th as the value a case gives ("left", "saddle";
 * "true"/"false" for at_night and constant), and the level id that choice alone would give, or NULL when
 * it alone would not raise the level. 1 from symtri_result_question_multiple when several choices may
 * be given at once (sites). Finding questions and number attributes have no choices (count 0). */
SYMTRI_API size_t symtri_result_question_choice_count(const symtri_result *result, size_t i);
SYMTRI_API const char *symtri_result_question_choice(const symtri_result *result, size_t i, size_t j);
SYMTRI_API const char *symtri_result_question_choice_if_answer(const symtri_result *result, size_t i, size_t j);
SYMTRI_API int symtri_result_question_multiple(const symtri_result *result, size_t i);
/* Number attributes (duration_days, severity): the unit ("days", "points") and the range of answers
 * (*max is -1 when there is no upper bound). Returns NULL (min and max untouched) for other questions.
 * min and max may be NULL. */
SYMTRI_API const char *symtri_result_question_unit(const symtri_result *result, size_t i, double *min, double *max);
/* The question's whole JSON object, as in the result's "questions" (one line, no trailing newline):
 * sets *json (owned by the result) and *len (if not NULL). Returns SYMTRI_OK, or SYMTRI_MISUSE for a
 * NULL result or json, a rejected case or an index out of range (*json set to NULL when not NULL). */
SYMTRI_API int symtri_result_question_json(const symtri_result *result, size_t i, const char **json, size_t *len);

/* Returned by symtri_result_next_question when there is nothing more to ask. */
#define SYMTRI_NO_QUESTION ((size_t)-1)
/* The index of the question to ask next ("interview.next": always 0 while questions remain), or
 * SYMTRI_NO_QUESTION when the interview is complete or the case was rejected. */
SYMTRI_API size_t symtri_result_next_question(const symtri_result *result);
/* 1 when the interview is complete (no question left: no rule reading what the person said, and no
 * screening question, can still raise the level), 0 when questions remain, -1 for a rejected case or NULL. */
SYMTRI_API int symtri_result_complete(const symtri_result *result);
/* How many other unknowns could still raise the level but are not asked ("other_questions"). */
SYMTRI_API size_t symtri_result_other_questions(const symtri_result *result);
/* With SYMTRI_OPT_LIST_OTHER_QUESTIONS: how many of them are listed ("other_question_list"; 0 without the
 * option), and the i-th as a question JSON object, as symtri_result_question_json. */
SYMTRI_API size_t symtri_result_other_question_list_count(const symtri_result *result);
SYMTRI_API int symtri_result_other_question_json(const symtri_result *result, size_t i, const char **json, size_t *len);
/* The case's "unsure" list echoed: what the person could not answer ("sciatica.side", "fever"). */
SYMTRI_API size_t symtri_result_unsure_count(const symtri_result *result);
SYMTRI_API const char *symtri_result_unsure(const symtri_result *result, size_t i);
/* Patient data a rule behind the questions needs but the case lacks ("interview.needs_patient"):
 * bit 1 for age, bit 2 for sex; 0 when none or for a rejected case. */
#define SYMTRI_NEEDS_AGE 1
#define SYMTRI_NEEDS_SEX 2
SYMTRI_API int symtri_result_needs_patient(const symtri_result *result);

/* ------------------------------------------------------------------------------------------ explain */

/* Explains one rule (its id) for one case (JSON, as symtri_engine_triage takes): every test of the
 * rule's condition with its JSON Pointer inside the rule ("/when/all/1/any/0"), its value for the case
 * (true, false or "unknown"), and what would make the rule fire (for an unknown rule, the answers that
 * could make it true; for a false rule, the false tests that block it). The same JSON as
 * `symtri explain RULE --case FILE --format json`:
 *   {"rule":...,"kind":...,"level":...,"value":true|false|"unknown","fires":bool,
 *    "tests":[{"pointer","test","text","value"},...],"would_fire_if":[...],"blocked_by":[...]}
 * On SYMTRI_OK sets *out_json to a new NUL-terminated string (free it with symtri_free) and *out_len (if
 * not NULL) to its length. On failure *out_json is a new string holding the error message (also freed
 * with symtri_free), or NULL when out of memory. Returns SYMTRI_OK, SYMTRI_INVALID_CASE (the case was
 * rejected), SYMTRI_MISUSE (NULL or failed engine, NULL rule id, unknown rule id, NULL out_json) or
 * SYMTRI_NOMEM. Any thread, at the same time as other calls on the same engine. */
SYMTRI_API int symtri_engine_explain(const symtri_engine *engine, const char *rule_id, const char *case_json,
                                     size_t len, char **out_json, size_t *out_len);
/* Frees memory the library handed over (symtri_engine_explain's strings). NULL is fine. */
SYMTRI_API void symtri_free(void *p);

/* -------------------------------------------------------------------------------------------- batch */

/* Triages n cases on `threads` worker threads (0: one per core), filling results[0..n-1] with one new
 * result handle each, in order; check each with symtri_result_errcode. cases[i] is lens[i] bytes long
 * (lens may be NULL: every case NUL-terminated). Returns SYMTRI_OK when every case was triaged, else
 * the status of the first case that failed (SYMTRI_INVALID_CASE; SYMTRI_MISUSE for a NULL cases[i]);
 * SYMTRI_MISUSE for bad arguments (NULL or failed engine, NULL results, NULL cases with n > 0:
 * results[] is then filled with NULL); SYMTRI_NOMEM (results[] filled with NULL, nothing leaked).
 * The caller owns every results[i]. Batches under 64 cases run on the calling thread.
 * Any thread, at the same time as other calls on the same engine. */
SYMTRI_API int symtri_engine_triage_many(const symtri_engine *engine, const char *const *cases,
                                         const size_t *lens, size_t n, unsigned threads,
                                         symtri_result **results);

/* Triages JSON Lines (one case per line) exactly as `symtri batch` does: the output has one line per
 * input line, in order, each a result or an error line
 *   {"case_id":...,"line":N,"error":{"code":...,"message":...,"path":...}}
 * Sets *out to a new batch handle (also on SYMTRI_INVALID_CASE). Returns SYMTRI_OK when every line was
 * triaged, SYMTRI_INVALID_CASE when at least one was rejected, SYMTRI_MISUSE (*out is NULL) or
 * SYMTRI_NOMEM. The caller owns *out: free it with symtri_batch_destroy. Any thread. */
SYMTRI_API int symtri_engine_triage_jsonl(const symtri_engine *engine, const char *jsonl, size_t len,
                                          unsigned threads, symtri_batch **out);
/* The output lines (each ending in '\n'); *len (if not NULL) set to its length. Owned by the batch. */
SYMTRI_API const char *symtri_batch_output(const symtri_batch *batch, size_t *len);
/* Lines read, and lines rejected. */
SYMTRI_API size_t symtri_batch_count(const symtri_batch *batch);
SYMTRI_API size_t symtri_batch_failed(const symtri_batch *batch);
/* Frees a batch. NULL is fine. */
SYMTRI_API void symtri_batch_destroy(symtri_batch *batch);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SYMTRI_H */
