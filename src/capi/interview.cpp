// SPDX-License-Identifier: Apache-2.0
// The interview accessors of a result (symtri_result_question_* beyond finding/prompt/could_raise_to,
// next question, completeness, other questions, unsure). They read the result's own JSON, parsed once
// on first use under the result's once_flag, so every accessor returns exactly what the JSON says and
// the read-only accessors stay safe from several threads at once. Triage pays nothing for them.
#include <nlohmann/json.hpp>

#include "errors.hpp"

namespace symtri_capi {

struct QuestionView {
    std::string json, prompt, label, attribute, if_yes, unit;
    bool has_attribute = false, has_if_yes = false, has_unit = false, screening = false, multiple = false;
    double min = 0, max = -1;
    std::vector<std::string> choices;
    std::vector<std::string> choice_level;  // per choice: the if_answer level, "" when none
};

struct InterviewView {
    std::vector<QuestionView> questions, others;
    std::vector<std::string> unsure;
    int needs_patient = 0;
};

namespace {

QuestionView question_view(const nlohmann::json& q) {
    QuestionView v;
    v.json = q.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto str = [&](const char* key, std::string& out) {
        auto it = q.find(key);
        if (it == q.end() || !it->is_string()) return false;
        out = it->get<std::string>();
        return true;
    };
    str("prompt", v.prompt);
    str("label", v.label);
    v.has_attribute = str("attribute", v.attribute);
    v.has_if_yes = str("if_yes", v.if_yes);
    v.has_unit = str("unit", v.unit);
    v.screening = q.value("screening", false);
    v.multiple = q.value("multiple", false);
    if (auto it = q.find("min"); it != q.end() && it->is_number()) v.min = it->get<double>();
    if (auto it = q.find("max"); it != q.end() && it->is_number()) v.max = it->get<double>();
    const nlohmann::json* if_answer = nullptr;
    if (auto it = q.find("if_answer"); it != q.end() && it->is_object()) if_answer = &*it;
    if (auto it = q.find("choices"); it != q.end() && it->is_array()) {
        for (const auto& c : *it) {
            std::string text = c.is_string() ? c.get<std::string>() : c.dump();  // true/false as text
            std::string level;
            if (if_answer) {
                auto a = if_answer->find(text);
                if (a != if_answer->end() && a->is_string()) level = a->get<std::string>();
            }
            v.choices.push_back(std::move(text));
            v.choice_level.push_back(std::move(level));
        }
    }
    return v;
}

// The view of a triaged result; nullptr for NULL or a rejected case. May throw (bad_alloc).
const InterviewView* view(const symtri_result* r) {
    if (!r || r->status != SYMTRI_OK || !r->rules) return nullptr;
    std::call_once(r->interview_once, [r] {
        auto v = std::make_shared<InterviewView>();
        auto j = nlohmann::json::parse(r->json);
        if (auto it = j.find("questions"); it != j.end() && it->is_array())
            for (const auto& q : *it) v->questions.push_back(question_view(q));
        if (auto it = j.find("other_question_list"); it != j.end() && it->is_array())
            for (const auto& q : *it) v->others.push_back(question_view(q));
        if (auto it = j.find("unsure"); it != j.end() && it->is_array())
            for (const auto& u : *it)
                if (u.is_string()) v->unsure.push_back(u.get<std::string>());
        auto iv = j.find("interview");
        if (iv != j.end() && iv->is_object())
            if (auto np = iv->find("needs_patient"); np != iv->end() && np->is_array())
                for (const auto& n : *np) {
                    if (n == "age") v->needs_patient |= SYMTRI_NEEDS_AGE;
                    if (n == "sex") v->needs_patient |= SYMTRI_NEEDS_SEX;
                }
        r->interview = std::move(v);
    });
    return r->interview.get();
}

const QuestionView* question_at(const symtri_result* r, size_t i) {
    const InterviewView* v = view(r);
    return v && i < v->questions.size() ? &v->questions[i] : nullptr;
}

int json_out(const QuestionView* q, const char** json, size_t* len) {
    if (json) *json = nullptr;
    if (len) *len = 0;
    if (!q || !json) return SYMTRI_MISUSE;
    *json = q->json.c_str();
    if (len) *len = q->json.size();
    return SYMTRI_OK;
}

}  // namespace

// The prompt of question i as the JSON gives it (attribute questions have their own), for result.cpp.
const char* question_prompt(const symtri_result* r, size_t i) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto q = question_at(r, i);
        return q ? q->prompt.c_str() : nullptr;
    });
}

}  // namespace symtri_capi

using symtri_capi::guarded_value;
using symtri_capi::question_at;

extern "C" {

const char* symtri_result_question_label(const symtri_result* r, size_t i) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto q = question_at(r, i);
        return q ? q->label.c_str() : nullptr;
    });
}

const char* symtri_result_question_attribute(const symtri_result* r, size_t i) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto q = question_at(r, i);
        return q && q->has_attribute ? q->attribute.c_str() : nullptr;
    });
}

const char* symtri_result_question_if_yes(const symtri_result* r, size_t i) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto q = question_at(r, i);
        return q && q->has_if_yes ? q->if_yes.c_str() : nullptr;
    });
}

int symtri_result_question_screening(const symtri_result* r, size_t i) {
    return guarded_value(0, [&] {
        auto q = question_at(r, i);
        return q && q->screening ? 1 : 0;
    });
}

size_t symtri_result_question_choice_count(const symtri_result* r, size_t i) {
    return guarded_value<size_t>(0, [&]() -> size_t {
        auto q = question_at(r, i);
        return q ? q->choices.size() : 0;
    });
}

const char* symtri_result_question_choice(const symtri_result* r, size_t i, size_t j) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto q = question_at(r, i);
        return q && j < q->choices.size() ? q->choices[j].c_str() : nullptr;
    });
}

const char* symtri_result_question_choice_if_answer(const symtri_result* r, size_t i, size_t j) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto q = question_at(r, i);
        return q && j < q->choice_level.size() && !q->choice_level[j].empty() ? q->choice_level[j].c_str() : nullptr;
    });
}

int symtri_result_question_multiple(const symtri_result* r, size_t i) {
    return guarded_value(0, [&] {
        auto q = question_at(r, i);
        return q && q->multiple ? 1 : 0;
    });
}

const char* symtri_result_question_unit(const symtri_result* r, size_t i, double* min, double* max) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto q = question_at(r, i);
        if (!q || !q->has_unit) return nullptr;
        if (min) *min = q->min;
        if (max) *max = q->max;
        return q->unit.c_str();
    });
}

int symtri_result_question_json(const symtri_result* r, size_t i, const char** json, size_t* len) {
    return symtri_capi::guarded([&] { return symtri_capi::json_out(question_at(r, i), json, len); });
}

size_t symtri_result_next_question(const symtri_result* r) {
    if (!r || r->status != SYMTRI_OK || !r->rules || r->questions.empty()) return SYMTRI_NO_QUESTION;
    return 0;
}

int symtri_result_complete(const symtri_result* r) {
    if (!r || r->status != SYMTRI_OK || !r->rules) return -1;
    return r->questions.empty() ? 1 : 0;
}

size_t symtri_result_other_questions(const symtri_result* r) {
    return r && r->status == SYMTRI_OK && r->rules ? r->other_questions : 0;
}

size_t symtri_result_other_question_list_count(const symtri_result* r) {
    return guarded_value<size_t>(0, [&]() -> size_t {
        auto v = symtri_capi::view(r);
        return v ? v->others.size() : 0;
    });
}

int symtri_result_other_question_json(const symtri_result* r, size_t i, const char** json, size_t* len) {
    return symtri_capi::guarded([&] {
        auto v = symtri_capi::view(r);
        return symtri_capi::json_out(v && i < v->others.size() ? &v->others[i] : nullptr, json, len);
    });
}

size_t symtri_result_unsure_count(const symtri_result* r) {
    return guarded_value<size_t>(0, [&]() -> size_t {
        auto v = symtri_capi::view(r);
        return v ? v->unsure.size() : 0;
    });
}

const char* symtri_result_unsure(const symtri_result* r, size_t i) {
    return guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto v = symtri_capi::view(r);
        return v && i < v->unsure.size() ? v->unsure[i].c_str() : nullptr;
    });
}

int symtri_result_needs_patient(const symtri_result* r) {
    return guarded_value(0, [&] {
        auto v = symtri_capi::view(r);
        return v ? v->needs_patient : 0;
    });
}

}  // extern "C"
