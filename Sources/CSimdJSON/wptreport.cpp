// wptreport.json with simdjson's DOM API: one validated parse, then a walk that hands each result and
// its subtests to the visitor as views into the document (no copies, no exceptions).
#include "wptreport.h"

#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

namespace {

const char *describe(element_type type) {
    switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a bool";
    case element_type::NULL_VALUE: return "null";
    }
    return "something else";
}

wpt_string view(std::string_view text) { return wpt_string{text.data(), text.size()}; }

// A whole number, as JSONDecoder reads an Int (1 and 1.0, not 1.5 or 1e30).
bool whole(element value, int64_t &out) {
    switch (value.type()) {
    case element_type::INT64: out = value.get_int64().value_unsafe(); return true;
    case element_type::UINT64: return false;
    case element_type::DOUBLE: {
        double number = value.get_double().value_unsafe();
        if (std::trunc(number) != number || !(number >= -9.2e18 && number <= 9.2e18)) return false;
        out = static_cast<int64_t>(number);
        return true;
    }
    default: return false;
    }
}

class Walk {
public:
    explicit Walk(wpt_report_outcome *outcome) : outcome(outcome) {}

    bool report(element root, const wpt_report_visitor *visitor) {
        object top;
        if (root.get_object().get(top)) return fail(std::string("expected an object at the top level, found ") + describe(root.type()));
        element runInfo, results;
        bool haveRunInfo = false, haveResults = false;
        for (auto field : top) {
            std::string_view key = field.key;
            if (key == "run_info") { runInfo = field.value; haveRunInfo = true; }
            else if (key == "results") { results = field.value; haveResults = true; }
            else if (key == "time_start") outcome->has_time_start = whole(field.value, outcome->time_start);
            else if (key == "time_end") outcome->has_time_end = whole(field.value, outcome->time_end);
        }
        if (!haveRunInfo) return fail("missing .run_info");
        object properties;
        if (runInfo.get_object().get(properties)) return unexpected(".run_info", "an object", runInfo);
        for (auto field : properties) {
            element value = field.value;
            switch (value.type()) {
            case element_type::STRING:
                visitor->run_info(visitor->context, view(field.key), WPT_RUN_INFO_STRING, view(value.get_string().value_unsafe()), 0, false);
                break;
            case element_type::INT64:
            case element_type::UINT64:
            case element_type::DOUBLE:
                visitor->run_info(visitor->context, view(field.key), WPT_RUN_INFO_NUMBER, wpt_string{}, value.get_double().value_unsafe(), false);
                break;
            case element_type::BOOL:
                visitor->run_info(visitor->context, view(field.key), WPT_RUN_INFO_BOOL, wpt_string{}, 0, value.get_bool().value_unsafe());
                break;
            default: break;  // null, arrays and objects are left out
            }
        }
        if (!haveResults) return fail("missing .results");
        simdjson::dom::array list;
        if (results.get_array().get(list)) return unexpected(".results", "an array", results);
        size_t index = 0;
        for (element result : list) {
            if (!test(result, index++, visitor)) return false;
        }
        return true;
    }

private:
    wpt_report_outcome *outcome;
    std::vector<wpt_subtest> subtests;
    std::vector<wpt_string> intermittents;
    std::vector<size_t> intermittentStarts;

    bool fail(const std::string &message) {
        std::snprintf(outcome->message, sizeof outcome->message, "%s", message.c_str());
        return false;
    }

    bool unexpected(const std::string &path, const char *wanted, element found) {
        return fail("unexpected value at " + path + ": expected " + wanted + ", found " + describe(found.type()));
    }

    static std::string at(size_t index, const char *key) { return ".results[" + std::to_string(index) + "]" + key; }
    static std::string at(size_t index, size_t subtest, const char *key) {
        return ".results[" + std::to_string(index) + "].subtests[" + std::to_string(subtest) + "]" + key;
    }

    // A string or null (then `out` stays empty); anything else is an error at `path()`.
    template <typename Path> bool string(element value, wpt_string &out, Path path) {
        if (value.is_null()) return true;
        std::string_view text;
        if (value.get_string().get(text)) return unexpected(path(), "a string", value);
        out = view(text);
        return true;
    }

    template <typename Path> bool strings(element value, wpt_strings &out, size_t &start, Path path) {
        start = intermittents.size();
        if (value.is_null()) return true;
        simdjson::dom::array list;
        if (value.get_array().get(list)) return unexpected(path(), "an array", value);
        out.present = true;
        for (element item : list) {
            std::string_view text;
            if (item.get_string().get(text)) return unexpected(path() + "[" + std::to_string(out.count) + "]", "a string", item);
            intermittents.push_back(view(text));
            out.count++;
        }
        return true;
    }

    template <typename Path> bool required(const wpt_string &value, bool present, Path path) {
        if (!present) return fail("missing " + path());
        if (!value.data) return fail("unexpected value at " + path() + ": expected a string, found null");
        return true;
    }

    bool test(element value, size_t index, const wpt_report_visitor *visitor) {
        object fields;
        if (value.get_object().get(fields)) return unexpected(at(index, ""), "an object", value);
        wpt_test result{};
        bool haveTest = false, haveStatus = false;
        size_t ownStart = 0;
        element subtestList;
        bool haveSubtests = false;
        subtests.clear();
        intermittents.clear();
        intermittentStarts.clear();
        for (auto field : fields) {
            std::string_view key = field.key;
            if (key == "test") {
                haveTest = true;
                if (!string(field.value, result.test, [&] { return at(index, ".test"); })) return false;
            } else if (key == "status") {
                haveStatus = true;
                if (!string(field.value, result.status, [&] { return at(index, ".status"); })) return false;
            } else if (key == "expected") {
                if (!string(field.value, result.expected, [&] { return at(index, ".expected"); })) return false;
            } else if (key == "message") {
                if (!string(field.value, result.message, [&] { return at(index, ".message"); })) return false;
            } else if (key == "known_intermittent") {
                if (!strings(field.value, result.known_intermittent, ownStart, [&] { return at(index, ".known_intermittent"); })) return false;
            } else if (key == "duration") {
                result.has_duration = whole(field.value, result.duration);
            } else if (key == "subtests") {
                subtestList = field.value;
                haveSubtests = !subtestList.is_null();
            }
        }
        if (!required(result.test, haveTest, [&] { return at(index, ".test"); })) return false;
        if (!required(result.status, haveStatus, [&] { return at(index, ".status"); })) return false;
        if (haveSubtests) {
            simdjson::dom::array list;
            if (subtestList.get_array().get(list)) return unexpected(at(index, ".subtests"), "an array", subtestList);
            size_t position = 0;
            for (element item : list) {
                if (!subtest(item, index, position++)) return false;
            }
        }
        // Pointers into `intermittents` only once it stops growing.
        result.known_intermittent.items = intermittents.data() + ownStart;
        for (size_t i = 0; i < subtests.size(); i++) subtests[i].known_intermittent.items = intermittents.data() + intermittentStarts[i];
        result.subtests = subtests.data();
        result.subtest_count = subtests.size();
        visitor->test(visitor->context, &result);
        return true;
    }

    bool subtest(element value, size_t index, size_t position) {
        object fields;
        if (value.get_object().get(fields)) return unexpected(at(index, position, ""), "an object", value);
        wpt_subtest result{};
        bool haveName = false, haveStatus = false;
        size_t start = intermittents.size();
        for (auto field : fields) {
            std::string_view key = field.key;
            if (key == "name") {
                haveName = true;
                if (!string(field.value, result.name, [&] { return at(index, position, ".name"); })) return false;
            } else if (key == "status") {
                haveStatus = true;
                if (!string(field.value, result.status, [&] { return at(index, position, ".status"); })) return false;
            } else if (key == "expected") {
                if (!string(field.value, result.expected, [&] { return at(index, position, ".expected"); })) return false;
            } else if (key == "message") {
                if (!string(field.value, result.message, [&] { return at(index, position, ".message"); })) return false;
            } else if (key == "known_intermittent") {
                if (!strings(field.value, result.known_intermittent, start, [&] { return at(index, position, ".known_intermittent"); })) return false;
            }
        }
        if (!required(result.name, haveName, [&] { return at(index, position, ".name"); })) return false;
        if (!required(result.status, haveStatus, [&] { return at(index, position, ".status"); })) return false;
        subtests.push_back(result);
        intermittentStarts.push_back(start);
        return true;
    }
};

}  // namespace

extern "C" bool wpt_report_walk(const char *data, size_t length, const wpt_report_visitor *visitor, wpt_report_outcome *outcome) {
    *outcome = wpt_report_outcome{};
    // No C++ exception may cross into Swift: one (std::bad_alloc from a string or vector) ends the walk as an error.
    try {
        simdjson::dom::parser parser;
        element root;
        if (auto error = data ? parser.parse(data, length).get(root) : simdjson::EMPTY) {
            outcome->not_json = true;
            std::snprintf(outcome->message, sizeof outcome->message, "%s", simdjson::error_message(error));
            return false;
        }
        return Walk(outcome).report(root, visitor);
    } catch (const std::exception &error) {
        std::snprintf(outcome->message, sizeof outcome->message, "could not be read: %s", error.what());
        return false;
    } catch (...) {
        std::snprintf(outcome->message, sizeof outcome->message, "could not be read");
        return false;
    }
}
