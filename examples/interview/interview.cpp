// interview.cpp -- an interactive symptom interview on the header-only C++ API.
//
//   ./interview [--rules PATH]          (answers come from stdin, so it can be scripted)
//
// 1. asks about the main symptoms (yes / no / don't know),
// 2. triages, then keeps asking the result's `questions` -- the unknown findings whose answer could
//    raise the level -- until none is left that could,
// 3. prints a plain-language summary: level, what to do, red flags, advice, and the disclaimer.
//
// Answers: y/yes, n/no, ?/u/unknown/dk or Enter for "don't know", q to stop asking. End of input
// counts as "don't know" for everything left.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

namespace {

// The contract's symptom findings: what the interview opens with (those the rule set knows).
const char* const main_symptoms[] = {"low_back_pain", "sciatica", "neck_pain", "neck_stiffness", "headache",
                                     "muscle_tightness", "muscle_cramps", "muscle_spasm", "tingling", "numbness",
                                     "burning_pain", "weakness", "stress", "poor_sleep", "fatigue"};

enum class Answer { yes, no, unknown, quit };

bool input_done = false;

std::string lower_trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t\r"));
    s.erase(s.find_last_not_of(" \t\r") + 1);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Answer ask(const std::string& question) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        std::cout << question << " [y/n/?] " << std::flush;
        std::string line;
        if (!std::getline(std::cin, line)) {
            input_done = true;
            std::cout << "\n";
            return Answer::unknown;
        }
        std::string a = lower_trim(line);
        if (a == "y" || a == "yes") return Answer::yes;
        if (a == "n" || a == "no") return Answer::no;
        if (a.empty() || a == "?" || a == "u" || a == "unknown" || a == "dk" || a == "don't know") return Answer::unknown;
        if (a == "q" || a == "quit") return Answer::quit;
        std::cout << "  Please answer y (yes), n (no) or ? (don't know).\n";
    }
    return Answer::unknown;
}

std::string ask_text(const std::string& prompt) {
    std::cout << prompt << " " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
        input_done = true;
        std::cout << "\n";
        return {};
    }
    return lower_trim(line);
}

void wrap_print(const std::string& prefix, const std::string& text) { std::cout << prefix << text << "\n"; }

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

    std::cout << "symtri symptom interview (" << rs.info.title.get() << ")\n"
              << rs.info.disclaimer.get() << "\n"
              << "Answer y (yes), n (no) or ? (don't know); q stops the questions.\n\n";

    nlohmann::json c = {{"findings", nlohmann::json::object()}};
    std::string age = ask_text("How old are you, in years? (Enter to skip)");
    if (!age.empty() && std::all_of(age.begin(), age.end(), ::isdigit) && age.size() <= 3 && std::stoi(age) <= 130)
        c["patient"]["age"] = std::stoi(age);
    if (!input_done) {
        std::string sex = ask_text("Sex: female, male or other? (Enter to skip)");
        if (sex == "f" || sex == "female") c["patient"]["sex"] = "female";
        else if (sex == "m" || sex == "male") c["patient"]["sex"] = "male";
        else if (sex == "o" || sex == "other") c["patient"]["sex"] = "other";
    }

    std::set<std::string> asked;
    bool stop = input_done;
    auto record = [&](const std::string& id, Answer a) {
        asked.insert(id);
        if (a == Answer::quit) stop = true;
        else if (a == Answer::yes) c["findings"][id] = true;
        else if (a == Answer::no) c["findings"][id] = false;
    };

    // 1. The main symptoms.
    std::cout << "\nFirst, your main symptoms.\n";
    for (const char* id : main_symptoms) {
        if (stop || input_done) break;
        int f = rs.find_finding(id);
        if (f < 0) continue;
        record(id, ask(rs.findings[static_cast<std::size_t>(f)].question.get()));
    }

    // 2. Follow-up: the result's questions, highest possible level first, until none is left.
    symtri::Session session(rules);
    std::string result;
    symtri::CaseError err;
    bool said_more = false;
    for (;;) {
        if (!session.triage(c.dump(), result, err)) {
            std::cerr << "internal error: " << err.message << "\n";
            return 4;
        }
        if (stop || input_done) break;
        const auto j = nlohmann::json::parse(result);
        std::string next, prompt;
        for (const auto& q : j["questions"]) {
            if (!asked.count(q["finding"].get<std::string>())) {
                next = q["finding"].get<std::string>();
                prompt = q["prompt"].get<std::string>();
                break;
            }
        }
        if (next.empty()) break;  // nothing left that could raise the level
        if (!said_more) {
            std::cout << "\nA few more questions, to check for anything urgent.\n";
            said_more = true;
        }
        record(next, ask(prompt));
    }

    // 3. The summary, in plain words.
    const auto j = nlohmann::json::parse(result);
    const symtri::Level& level = rs.levels[static_cast<std::size_t>(rs.find_level(j["level"].get<std::string>()))];
    std::cout << "\n==================== Your result ====================\n"
              << "Level: " << level.label.get() << "\n"
              << "What to do: " << level.action.get() << "\n";
    if (!j["red_flags"].empty()) {
        std::cout << "\nWarning signs:\n";
        for (const auto& rf : j["red_flags"]) {
            wrap_print("  ! ", rf["title"].get<std::string>());
            wrap_print("    ", rf["advice"].get<std::string>());
        }
    }
    if (!j["recommendations"].empty()) {
        std::cout << "\nAdvice:\n";
        for (const auto& r : j["recommendations"]) wrap_print("  - ", r["title"].get<std::string>() + ": " + r["advice"].get<std::string>());
    }
    if (!j["cautions"].empty()) {
        std::cout << "\nCautions:\n";
        for (const auto& r : j["cautions"]) wrap_print("  * ", r["advice"].get<std::string>());
    }
    std::cout << "\nIf it gets worse: " << j["if_worse"].get<std::string>() << "\n";
    const std::size_t open_questions = j["questions"].size();
    if (open_questions)
        std::cout << "\nYou did not answer " << open_questions << " question" << (open_questions == 1 ? "" : "s")
                  << " that could change this advice; if any applies to you, get help sooner.\n";
    std::cout << "\n" << j["disclaimer"].get<std::string>() << "\n";
    return 0;
}
