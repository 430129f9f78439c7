// A bsmtrace policy: the sets and sequences of a bsmtrace.conf, parsed and
// resolved (user, group, event and class names already turned into numbers,
// regular expressions compiled). The engine (engine.h) runs a Policy over
// records; nothing here touches a record.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
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

// How pcre patterns run: PCRE2's match limit (steps before it gives up)
// and a JIT stack. A pattern PCRE2 gives up on is "not evaluated", never a
// silent miss: the engine counts it and, by default, takes the record as a
// match.
class RegexLimits {
 public:
  // Enough for ordinary patterns on paths of any length (a `.*x.*y` over a
  // 1,000-byte path needs about 500,000); a catastrophic pattern stops
  // after a few milliseconds instead of PCRE2's default 10,000,000 steps.
  static constexpr uint32_t kDefaultMatchLimit = 1'000'000;
  explicit RegexLimits(uint32_t match_limit = kDefaultMatchLimit);
  ~RegexLimits();
  RegexLimits(const RegexLimits&) = delete;
  RegexLimits& operator=(const RegexLimits&) = delete;
  uint32_t match_limit() const { return match_limit_; }
  void* context() const;  // the pcre2_match_context

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint32_t match_limit_;
};

// One pattern as written, for messages ("pattern '...' at file:line:col").
struct PatternInfo {
  std::string text;
  SourceLocation where;
};

enum class PathMatch : uint8_t { No, Yes, NotEvaluated };

// True when a group that holds an unbounded quantifier is itself repeated
// without bound, as in (a+)+ or (x*)*: the shape whose backtracking grows
// exponentially with the subject's length.
bool has_nested_quantifier(std::string_view pattern);

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
  std::string add_pattern(std::string_view pattern, const SourceLocation& where = {});
  void merge(const SetData& other);  // same type
  void seal();                       // sorts and indexes; call once

  bool contains_number(uint32_t value) const {  // auid .. auditevent
    // Most sets hold a handful of values: a scan beats a binary search there.
    if (numbers_.size() <= 8) {
      for (uint32_t n : numbers_)
        if (n == value) return true;
      return false;
    }
    return std::binary_search(numbers_.begin(), numbers_.end(), value);
  }
  bool intersects_mask(uint32_t mask) const { return (class_mask_ & mask) != 0; }
  std::span<const uint32_t> numbers() const { return numbers_; }  // sorted, after seal()
  uint32_t class_mask() const { return class_mask_; }
  // Path prefix or pcre. For pcre: Yes when a pattern matched; otherwise
  // NotEvaluated when PCRE2 gave up on one (`*failed` names the first),
  // else No.
  PathMatch match_path(std::string_view path, const RegexLimits& limits, const PatternInfo** failed = nullptr) const;
  bool matches_path(std::string_view path) const;  // match_path with default limits == Yes

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
  std::vector<std::shared_ptr<const PatternInfo>> pattern_infos_;  // shared by merged copies
};

// A set as used at one place: shared data plus the `not` of that use.
struct SetRef {
  std::shared_ptr<const SetData> data;
  bool negated = false;
};

enum class StatusFilter : uint8_t { Success, Failure, Any };
enum class Scope : uint8_t { Subject, Process, Session, Thread, Global };
// Unset: every record. None: the host only (no zonename token). Any: any
// zone but not the host, as in the original. Glob: zones matching it.
enum class ZoneKind : uint8_t { Unset, Any, None, Glob };

// A part of a record that instances can be grouped by (`group-by`) and
// repeats suppressed per (`once per`). Subject is the sequence's subject
// value (auid unless the subject set says otherwise).
enum class KeyField : uint8_t {
  Subject,
  Auid,
  Euid,
  Ruid,
  Egid,
  Rgid,
  Pid,
  Session,
  SourceAddress,  // the subject's terminal address (where a login came from)
  Terminal,       // the subject's terminal port and address
  Text,           // the first text token (sshd and login put the attempted user there)
  Object,         // the path (or the path cache's path for fd-only events)
  Zone,
};
const char* key_field_name(KeyField field);

struct StateSpec {
  SourceLocation where;
  bool event_any = false;
  SetRef events;  // AuditEvent or AuditClass when !event_any
  StatusFilter status = StatusFilter::Any;
  bool has_object = false;
  SetRef object;  // Path or Pcre
  uint32_t multiplier = 1;
  std::string trigger;  // empty: none
  // Extensions (docs/bsmtrace.md): `count N within T` (first state only)
  // and `state not { ... }` (last state only: must not match in time).
  uint32_t count = 0;         // 0: no count
  uint64_t count_window = 0;  // seconds
  bool absent = false;
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
  ZoneKind zone = ZoneKind::Unset;
  std::string zone_glob;
  std::vector<KeyField> group_by;  // empty: keyed by scope (the subject value by default)
  bool once = false;               // `once [per KEYS] per T`: one alert per key per period
  std::vector<KeyField> once_by;   // empty: the instance key
  uint64_t once_period = 0;        // seconds
  std::string logfile;             // empty: the default log
  std::vector<StateSpec> states;   // as written (multiplier not expanded)
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
