// Shared by the linux tests: run lines through a Translator and decode what
// comes out.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/linux/translate.h"

namespace bullion::linuxaudit::testing {

struct Translated {
  std::vector<std::vector<uint8_t>> records;
  TranslateStats stats;

  bsm::RecordFacts facts(size_t i) const {
    bsm::RecordFacts f;
    Status s = bsm::extract_facts(records.at(i), f);
    if (!s.ok()) ADD_FAILURE() << "record " << i << ": " << s.error().describe();
    return f;
  }
};

inline Translated translate_lines(const std::vector<std::string>& lines, TranslateOptions options = {}) {
  Translated out;
  Translator t([&](std::span<const uint8_t> r) { out.records.emplace_back(r.begin(), r.end()); }, options);
  for (const std::string& line : lines) t.feed_log_line(line);
  t.flush();
  out.stats = t.stats();
  return out;
}

inline std::vector<std::string> exec_args_of(const bsm::RecordFacts& f) {
  std::vector<std::string> args;
  bsm::for_each_string(f.exec_args, f.exec_argc, [&](std::string_view s) { args.emplace_back(s); });
  return args;
}

}  // namespace bullion::linuxaudit::testing
