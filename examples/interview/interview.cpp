// SPDX-License-Identifier: Apache-2.0
// interview.cpp -- an interactive symptom interview on the header-only C++ API.
//
//   ./interview [--rules PATH]          (answers come from stdin, so it can be scripted)
//
// 1. asks age and sex first: some rules depend on them, and the engine's questions follow from them;
// 2. asks what is bothering the person (the main symptoms, by number);
// 3. then, one question at a time: triages the case so far and asks the result's `interview.next`
//    -- a yes/no question about a finding, or a question about one attribute of a finding already
//    present (its choices, or a number) -- with an honest label of what the answer would change,
//    until `interview.complete` is true;
// 4. prints the result: level, what to do, warning signs, advice.
//
// Answers: y/yes, n/no, ?/dk or Enter for "don't know" (it goes to the case's `unsure` list and is not
// asked again), q to stop asking. End of input stops the questions and prints the result so far.
// examples/python/interview.py is the same program on the Python binding: same answers, same transcript.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <symtri/detail/utf8.hpp>
#include <symtri/question_text.hpp>
#include <symtri/symtri.hpp>

namespace {

// The symptoms the interview opens with (those the rule set knows).
const char* const main_symptoms[] = {"low_back_pain", "sciatica", "neck_pain", "neck_stiffness", "headache",
                                     "muscle_tightness", "muscle_cramps", "muscle_spasm", "tingling", "numbness",
                                     "burning_pain", "weakness", "stress", "poor_sleep", "fatigue"};

std::size_t width = 80;
bool input_done = false;

// The terminal's width when stdout is one, else 80 (so piped transcripts are the same everywhere).
std::size_t terminal_width() {
    struct winsize ws {};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
    return 80;
}

std::size_t length(const std::string& s) { return symtri::detail::utf8_length(s); }

// Greedy word wrap, as Python's textwrap.fill(text, width, initial_indent=first, subsequent_indent=rest,
// break_long_words=False, break_on_hyphens=False): the two programs must print the same lines.
std::string wrap(const std::string& text, const std::string& first = "", const std::string& rest = "") {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    std::string out, line = first;
    bool empty = true;
    for (const auto& w : words) {
        if (!empty && length(line) + 1 + length(w) > width) {
            out += line + "\n";
            line = rest;
            empty = true;
        }
        line += (empty ? "" : " ") + w;
        empty = false;
    }
    if (!empty) out += line + "\n";
    return out;
}

void say(const std::string& text, const std::string& first = "", const std::string& rest = "") { std::cout << wrap(text, first, rest); }

std::string lower_trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t\r"));
    s.erase(s.find_last_not_of(" \t\r") + 1);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// One line of input after a prompt; "" at end of input (and input_done set).
std::string read_answer(const std::string& prompt) {
    std::cout << prompt << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
        input_done = true;
        std::cout << "\n";
        return {};
    }
    return lower_trim(line);
}

bool dont_know(const std::string& a) { return a.empty() || a == "?" || a == "dk" || a == "u" || a == "unknown" || a == "don't know"; }

const char* const retry = "Please answer with one of the choices shown, ? (don't know) or q (stop).";

// "12" or "2.5": a plain decimal number, nothing else.
bool plain_number(const std::string& a) {
    std::size_t dot = a.find('.');
    auto digits = [](const std::string& s) { return !s.empty() && s.size() <= 6 && std::all_of(s.begin(), s.end(), ::isdigit); };
    return dot == std::string::npos ? digits(a) : digits(a.substr(0, dot)) && digits(a.substr(dot + 1));
}

}  // namespace

int main(int argc, char** argv) {
    std::string rules_path;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--rules" && i + 1 < argc) rules_path = argv[++i];
        else {
            std::cerr << "usage: " << argv[0] << " [--rules PATH]\n";
            return 2;
        }
    }
    symtri::RuleSetPtr rules;
    try {
        rules = rules_path.empty() ? symtri::load_builtin_rules() : symtri::load_rules(rules_path);
    } catch (const symtri::Error& e) {
        std::cerr << e.what() << "\n";
        return 3;
    }
    const symtri::RuleSet& rs = *rules;
    width = terminal_width();

    say("symtri symptom interview (" + rs.info.title.get() + ")");
    say(rs.info.disclaimer.get());
    say("Answer y (yes), n (no) or ? (don't know); q stops the questions.");
    std::cout << "\n";
    say("First your age and sex: some warning signs depend on them, so they decide which questions follow.");

    nlohmann::json c = {{"findings", nlohmann::json::object()}, {"unsure", nlohmann::json::array()}};
    std::string age = read_answer("How old are you, in years? (Enter to skip) ");
    if (!age.empty() && age.size() <= 3 && std::all_of(age.begin(), age.end(), ::isdigit) && std::stoi(age) <= 130)
        c["patient"]["age"] = std::stoi(age);
    if (!input_done) {
        std::string sex = read_answer("Sex: female, male or other? (Enter to skip) ");
        if (sex == "f" || sex == "female") c["patient"]["sex"] = "female";
        else if (sex == "m" || sex == "male") c["patient"]["sex"] = "male";
        else if (sex == "o" || sex == "other") c["patient"]["sex"] = "other";
    }

    // What is bothering the person: the main symptoms, by number.
    std::vector<int> offered;
    for (const char* id : main_symptoms)
        if (int f = rs.find_finding(id); f >= 0) offered.push_back(f);
    if (!input_done) {
        std::cout << "\n";
        say("What is bothering you? These are the symptoms this rule set knows:");
        for (std::size_t i = 0; i < offered.size(); ++i) {
            std::string n = std::to_string(i + 1);
            say(rs.findings[static_cast<std::size_t>(offered[i])].label.get(), std::string(4 - n.size(), ' ') + n + " ", "     ");
        }
        std::string picks = read_answer("Type the numbers that apply, separated by spaces (Enter for none): ");
        std::istringstream in(picks);
        for (std::string w; in >> w;) {
            if (w.empty() || w.size() > 3 || !std::all_of(w.begin(), w.end(), ::isdigit)) continue;
            std::size_t k = std::stoul(w);
            if (k >= 1 && k <= offered.size()) c["findings"][rs.findings[static_cast<std::size_t>(offered[k - 1])].id] = true;
        }
    }

    // One question at a time, until the interview is complete.
    symtri::Session session(rules);
    std::string result;
    symtri::CaseError err;
    bool stop = input_done;
    int asked = 0;
    nlohmann::json j;
    for (;;) {
        if (!session.triage(c.dump(), result, err)) {
            std::cerr << "internal error: " << err.message << "\n";
            return 4;
        }
        j = nlohmann::json::parse(result);
        if (stop || j["interview"]["complete"].get<bool>()) break;
        const nlohmann::json& q = j["interview"]["next"];
        const std::string finding = q["finding"].get<std::string>();
        const bool attribute = q.contains("attribute");
        const std::string key = attribute ? finding + "." + q["attribute"].get<std::string>() : finding;
        if (asked++ == 0) {
            std::cout << "\n";
            say("Now some questions, one at a time, most important first.");
        }
        std::cout << "\n";
        say(q["prompt"].get<std::string>());
        say("(" + symtri::question_label_text(rs, q, j["level_rank"].get<int>()) + ")", "  ", "   ");

        // The answer, into the case (or its unsure list).
        auto present = [&]() -> nlohmann::json& {
            nlohmann::json& f = c["findings"][finding];
            if (!f.is_object()) f = {{"present", true}};
            return f;
        };
        bool answered = false;
        for (int attempt = 0; attempt < 3 && !answered && !stop; ++attempt) {
            const bool yes_no = !attribute || (q.contains("choices") && q["choices"].size() == 2 && q["choices"][0].is_boolean());
            std::string a;
            if (yes_no) {
                a = read_answer("  [y/n/?] ");
            } else if (q.contains("choices")) {
                std::string list;
                for (std::size_t i = 0; i < q["choices"].size(); ++i)
                    list += (i ? ", " : "") + std::to_string(i + 1) + " " + symtri::detail::qt_choice(q["choices"][i]);
                say("Choices: " + list + (q.value("multiple", false) ? " (one or more, separated by spaces)" : ""), "  ", "  ");
                a = read_answer("  [number/?] ");
            } else {
                say("Answer with " + symtri::question_choices_text(q) + ".", "  ", "  ");
                a = read_answer("  [number/?] ");
            }
            if (input_done || a == "q" || a == "quit") {
                stop = true;
                break;
            }
            if (dont_know(a)) {
                c["unsure"].push_back(key);
                answered = true;
            } else if (yes_no) {
                bool y = a == "y" || a == "yes", n = a == "n" || a == "no";
                if (!y && !n) {
                    say(retry, "  ", "  ");
                    continue;
                }
                if (!attribute) c["findings"][finding] = y;
                else present()[q["attribute"].get<std::string>()] = y;
                answered = true;
            } else if (q.contains("choices")) {
                std::istringstream in(a);
                nlohmann::json picked = nlohmann::json::array();
                bool ok = true;
                for (std::string w; in >> w;) {
                    std::size_t k = w.size() <= 3 && std::all_of(w.begin(), w.end(), ::isdigit) ? std::stoul(w) : 0;
                    if (k < 1 || k > q["choices"].size()) ok = false;
                    else picked.push_back(q["choices"][k - 1]);
                }
                if (!ok || picked.empty() || (!q.value("multiple", false) && picked.size() != 1)) {
                    say(retry, "  ", "  ");
                    continue;
                }
                present()[q["attribute"].get<std::string>()] = q.value("multiple", false) ? picked : picked[0];
                answered = true;
            } else {
                double v = plain_number(a) ? std::stod(a) : -1;
                bool ok = plain_number(a) && v >= q.value("min", 0.0) && (!q.contains("max") || v <= q["max"].get<double>());
                if (!ok) {
                    say(retry, "  ", "  ");
                    continue;
                }
                present()[q["attribute"].get<std::string>()] = v == static_cast<long long>(v) ? nlohmann::json(static_cast<long long>(v))
                                                                                               : nlohmann::json(v);
                answered = true;
            }
        }
        if (!answered && !stop) c["unsure"].push_back(key);  // three answers it could not read: don't know
    }

    // The result, in plain words.
    const symtri::Level& level = rs.levels[static_cast<std::size_t>(rs.find_level(j["level"].get<std::string>()))];
    std::cout << "\n==================== Your result ====================\n";
    say("Level: " + level.label.get());
    say("What to do: " + level.action.get());
    if (!j["red_flags"].empty()) {
        std::cout << "\nWarning signs:\n";
        for (const auto& rf : j["red_flags"]) {
            say(rf["title"].get<std::string>(), "  ! ", "    ");
            say(rf["advice"].get<std::string>(), "    ", "    ");
        }
    }
    if (!j["recommendations"].empty()) {
        std::cout << "\nAdvice:\n";
        for (const auto& r : j["recommendations"]) say(r["title"].get<std::string>() + ": " + r["advice"].get<std::string>(), "  - ", "    ");
    }
    if (!j["cautions"].empty()) {
        std::cout << "\nCautions:\n";
        for (const auto& r : j["cautions"]) say(r["advice"].get<std::string>(), "  * ", "    ");
    }
    std::cout << "\n";
    say("If it gets worse: " + j["if_worse"].get<std::string>());
    const std::size_t open_questions = j["questions"].size();
    if (open_questions) {
        std::cout << "\n";
        say("You did not answer " + std::to_string(open_questions) + " question" + (open_questions == 1 ? "" : "s") +
            " that could change this advice; if any applies to you, get help sooner.");
    }
    if (!c["unsure"].empty()) {
        std::cout << "\n";
        say("You were unsure about " + std::to_string(c["unsure"].size()) + " question" + (c["unsure"].size() == 1 ? "" : "s") +
            "; a clinician can help answer them.");
    }
    std::cout << "\n";
    say(j["disclaimer"].get<std::string>());
    return 0;
}
