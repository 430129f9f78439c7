// Shared helpers for the bsmtrace tests: name tables, a fixed account list
// and a sink that records what the engine reports.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "bullion/tables.h"
#include "bullion/trace/engine.h"
#include "bullion/trace/policy.h"

namespace bullion::trace::testing {

class FakeAccounts : public tables::Accounts {
 public:
  FakeAccounts() {
    users_ = {{"root", 0}, {"csjp", 1001}, {"alm", 1002}, {"nobody", 65534}, {"bind", 53}};
    groups_ = {{"wheel", 0}, {"staff", 20}};
  }
  std::optional<std::string_view> user_name(uint32_t uid) override {
    for (auto& [n, id] : users_)
      if (id == uid) return std::string_view(n);
    return std::nullopt;
  }
  std::optional<std::string_view> group_name(uint32_t gid) override {
    for (auto& [n, id] : groups_)
      if (id == gid) return std::string_view(n);
    return std::nullopt;
  }
  std::optional<uint32_t> user_id(std::string_view name) override {
    auto it = users_.find(std::string(name));
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<uint32_t> group_id(std::string_view name) override {
    auto it = groups_.find(std::string(name));
    if (it == groups_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, uint32_t> users_, groups_;
};

inline NameResolver test_names() {
  static FakeAccounts accounts;
  return NameResolver{&tables::EventTable::builtin(), &tables::ClassTable::builtin(), &accounts};
}

struct RecordingSink : EngineSink {
  std::vector<Alert> alerts;
  std::vector<std::string> matched;  // "label:state-line"
  void state_matched(const StateMatch& m) override {
    matched.push_back(m.sequence->label + ":" + std::to_string(m.state->where.line));
  }
  void completed(const Alert& a) override { alerts.push_back(a); }
};

inline Policy parse_ok(std::string_view text) {
  auto p = parse_policy_text(text, "test.conf", test_names());
  if (!p) {
    ADD_FAILURE() << p.error().message;
    return {};
  }
  return std::move(*p);
}

inline std::string parse_error(std::string_view text) {
  auto p = parse_policy_text(text, "test.conf", test_names());
  if (p) return "<parsed>";
  return p.error().message;
}

inline uint16_t event_number(const char* name) {
  return tables::EventTable::builtin().find(std::string_view(name))->number;
}

}  // namespace bullion::trace::testing
