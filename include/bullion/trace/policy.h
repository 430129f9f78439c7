// A bsmtrace policy: the sets and sequences of a bsmtrace.conf, parsed and
// resolved (user, group, event and class names already turned into numbers,
// regular expressions compiled). The engine (engine.h) runs a Policy over
// records; nothing here touches a record.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/error.h"
#include "bullion/tables.h"

namespace bullion::trace {

enum class SetType : uint8_t { Auid, Euid, Ruid, Egid, Rgid, AuditEvent, AuditClass, Path, Pcre, LogChannel };
const char* set_type_name(SetType type);
bool is_subject_type(SetType type);

struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string describe() const;  // "file:line:column"
};

// The values of one set. Numeric sets keep a sorted vector (binary search,
// no size limit); class sets fold into one mask; path prefixes are grouped
// by length so a lookup costs one hash probe per distinct prefix length;
// pcre sets hold JIT-compiled patterns.
class SetData {
 public:
  explicit SetData(SetType type);
  ~SetData();
  SetData(const SetData&) = delete;
  SetData& operator=(const SetData&) = delete;

  SetType type() const { return type_; }
  size_t size() const { return count_; }

  // Building (parser only). add_pattern returns an error text on failure.
  void add_number(uint32_t value);
  void add_path(std::string_view prefix);
  std::string add_pattern(std::string_view pattern);
  void merge(const SetData& other);  // same type
  void seal();                       // sorts and indexes; call once

  bool contains_number(uint32_t value) const;  // auid .. auditevent
  bool intersects_mask(uint32_t mask) const { return (class_mask_ & mask) != 0; }
  bool matches_path(std::string_view path) const;  // path prefix or pcre

 private:
  struct Pattern;
  SetType type_;
  size_t count_ = 0;
  std::vector<uint32_t> numbers_;
  uint32_t class_mask_ = 0;
  std::vector<std::string> prefixes_;
  std::vector<size_t> prefix_lengths_;          // distinct, ascending
  std::vector<std::string_view> prefix_index_;  // sorted views, for binary search per length
  std::vector<std::unique_ptr<Pattern>> patterns_;
  std::vector<std::string> pattern_texts_;
};

// A set as used at one place: shared data plus the `not` of that use.
struct SetRef {
  std::shared_ptr<const SetData> data;
  bool negated = false;
};

enum class StatusFilter : uint8_t { Success, Failure, Any };
enum class Scope : uint8_t { Subject, Process, Session, Thread, Global };
enum class ZoneKind : uint8_t { Any, None, Glob };

struct StateSpec {
  SourceLocation where;
  bool event_any = false;
  SetRef events;  // AuditEvent or AuditClass when !event_any
  StatusFilter status = StatusFilter::Any;
  bool has_object = false;
  SetRef object;  // Path or Pcre
  uint32_t multiplier = 1;
  std::string trigger;  // empty: none
};

struct SequenceSpec {
  SourceLocation where;
  std::string label;
  bool subject_any = false;
  SetType subject_type = SetType::Auid;  // which id keys instances
  SetRef subject;                        // unset when subject_any
  uint64_t timeout = 0;                  // seconds, 0 = none
  uint64_t timeout_window = 0;           // seconds
  uint32_t timeout_probability = 0;      // percent, 0 = default
  uint32_t priority = 0;
  uint64_t serial = 0;
  bool scope_given = false;
  Scope scope = Scope::Subject;
  ZoneKind zone = ZoneKind::Any;
  std::string zone_glob;
  std::string logfile;            // empty: the default log
  std::vector<StateSpec> states;  // as written (multiplier not expanded)
};

struct Diagnostic {
  SourceLocation where;
  std::string message;
  std::string describe() const;  // "file:line:column: message"
};

struct Policy {
  std::vector<SequenceSpec> sequences;
  std::vector<Diagnostic> warnings;  // accepted, but worth telling the user
};

// What names resolve against. Any pointer may be null: then only numbers
// are accepted for that kind of name.
struct NameResolver {
  const tables::EventTable* events = nullptr;
  const tables::ClassTable* classes = nullptr;
  tables::Accounts* accounts = nullptr;
};

// Parses a configuration file (and what it includes). Errors are
// Errc::Parse (or Errc::Io for unreadable files) with a message that starts
// with "file:line:column: ".
Result<Policy> parse_policy_file(const std::string& path, const NameResolver& names);
// The same over text in memory; `file_name` is used in messages and as the
// base for relative includes.
Result<Policy> parse_policy_text(std::string_view text, const std::string& file_name, const NameResolver& names);

}  // namespace bullion::trace
