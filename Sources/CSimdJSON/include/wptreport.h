#ifndef WPTSYNC_WPTREPORT_H
#define WPTSYNC_WPTREPORT_H
// A wptreport.json walked with simdjson, behind a plain C API (Swift needs no C++ interop).

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// UTF-8 inside the parsed document, valid during the callback; `data` is NULL when absent or null.
typedef struct {
    const char *data;
    size_t length;
} wpt_string;

/// `known_intermittent`: `present` is false when the key is absent or null.
typedef struct {
    const wpt_string *items;
    size_t count;
    bool present;
} wpt_strings;

typedef struct {
    wpt_string name, status, expected, message;
    wpt_strings known_intermittent;
} wpt_subtest;

typedef struct {
    wpt_string test, status, expected, message;
    wpt_strings known_intermittent;
    bool has_duration;
    int64_t duration;
    const wpt_subtest *subtests;
    size_t subtest_count;
} wpt_test;

typedef enum { WPT_RUN_INFO_STRING, WPT_RUN_INFO_NUMBER, WPT_RUN_INFO_BOOL } wpt_run_info_kind;

/// What the walk calls, in document order: each `run_info` property that is a string, number or
/// bool, then each result with its subtests.
typedef struct {
    void *context;
    void (*run_info)(void *context, wpt_string key, wpt_run_info_kind kind, wpt_string string, double number, bool boolean);
    void (*test)(void *context, const wpt_test *test);
} wpt_report_visitor;

typedef struct {
    /// Set when the text is not JSON at all (then `message` is simdjson's reason).
    bool not_json;
    /// What was wrong and where (`missing .results[0].status`); empty when the walk succeeded.
    char message[256];
    bool has_time_start, has_time_end;
    int64_t time_start, time_end;
} wpt_report_outcome;

/// Walks the report in `data`; returns false (and says why in `outcome->message`) when it is not a
/// wptreport.json (`data` may be NULL when `length` is 0). Visitor calls already made stand.
bool wpt_report_walk(const char *data, size_t length, const wpt_report_visitor *visitor, wpt_report_outcome *outcome);

#ifdef __cplusplus
}
#endif

#endif
