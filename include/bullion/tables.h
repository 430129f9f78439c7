// The audit tables (audit_event, audit_class, audit_user, audit_control) and
// passwd/group name lookups. Tables come from files, with OpenBSM's shipped
// tables built in for hosts (like Linux) that have no /etc/security.
//
// Lookups on the hot path (event by number, uid -> name) are O(1) after the
// first call; nothing here re-reads a file per record.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bullion/error.h"

namespace bullion::tables {

struct EventEntry {
  uint16_t number = 0;
  std::string name;         // AUE_EXECVE
  std::string description;  // execve(2)
  uint32_t class_mask = 0;  // OR of the classes listed (pc,ex -> 0xc0000080)
};

class EventTable {
 public:
  // Parses audit_event(5) text: `number:AUE_NAME:description:class[,class]`,
  // `#` comments, blank lines. Fields split as OpenBSM's strtok(":") does, so
  // a description holds anything but ':'. A line without four fields or with
  // a number outside 0..65535 is an error naming the line. Class names
  // resolve through `classes`; a list naming an unknown class gets mask 0 as
  // in OpenBSM (its own table uses `ua`, which audit_class lacks) and a
  // warning naming the line.
  static Result<EventTable> parse(std::string_view text, const class ClassTable& classes);
  static const EventTable& builtin();  // OpenBSM's etc/audit_event

  // First entry with that number, as OpenBSM's getauevnum does; nullptr if none.
  const EventEntry* find(uint16_t number) const;
  const EventEntry* find(std::string_view name) const;  // exact AUE_ name
  std::span<const EventEntry> entries() const { return entries_; }
  // Lines accepted with a caveat ("line 666: unknown class 'ua'; mask 0").
  std::span<const std::string> warnings() const { return warnings_; }
  // A copy in which the event `number` (every entry with it) has `mask` as
  // its classes: auditon setclass / unsetclass on a daemon's map.
  EventTable with_class_mask(uint16_t number, uint32_t mask) const;

 private:
  std::vector<EventEntry> entries_;
  std::vector<int32_t> by_number_;  // 65536 slots, index into entries_ or -1
  std::vector<std::string> warnings_;
};

// OpenBSM's shipped etc/audit_event and etc/audit_class, byte for byte.
std::string_view builtin_audit_event_text();
std::string_view builtin_audit_class_text();
// bullion's own AUE_LINUX_* events (docs/linux.md), audit_event(5) text.
std::string_view builtin_linux_audit_event_text();
// `audit_event_text` followed by the AUE_LINUX_* rows: the table every tool
// loads, so a site's audit_event may rename or reclass our events.
std::string with_linux_events(std::string_view audit_event_text);

struct ClassEntry {
  uint32_t mask = 0;
  std::string name;         // fr
  std::string description;  // file read
};

class ClassTable {
 public:
  // Parses audit_class(5) text: `mask:name:description`, mask in hex (0x..).
  static Result<ClassTable> parse(std::string_view text);
  static const ClassTable& builtin();  // OpenBSM's etc/audit_class

  const ClassEntry* find(std::string_view name) const;
  const ClassEntry* find_mask(uint32_t mask) const;  // exact mask
  std::span<const ClassEntry> entries() const { return entries_; }

 private:
  std::vector<ClassEntry> entries_;
};

// au_mask_t: classes audited on success and on failure.
struct PreselectMask {
  uint32_t success = 0;
  uint32_t failure = 0;
  bool operator==(const PreselectMask&) const = default;
};

// Parses class flags as audit_control(5) and getauditflagsbin(3) do:
// comma list of [^][+|-]class; `+` success only, `-` failure only, `^`
// removes; `all` is every class. Errors name the bad item.
Result<PreselectMask> parse_class_flags(std::string_view flags, const ClassTable& classes);
// The inverse, for messages: "+pc,-fr,lo".
std::string format_class_flags(PreselectMask mask, const ClassTable& classes);

// Policy flag names <-> bits (cnt 0x1, ahlt 0x2, argv 0x4, ... perzone 0x2000).
Result<uint32_t> parse_policy(std::string_view text);
std::string format_policy(uint32_t bits);

struct UserEntry {
  std::string name;
  PreselectMask always;
  PreselectMask never;
};
// audit_user(5): `user:always-audit-flags:never-audit-flags`.
Result<std::vector<UserEntry>> parse_audit_user(std::string_view text, const ClassTable& classes);

struct AuditControl {
  std::vector<std::string> dirs;
  std::vector<int> dir_lines;  // 1-based line of each dir, in the same order
  PreselectMask flags;
  PreselectMask naflags;
  std::optional<int> minfree;  // percent
  uint32_t policy = 0;
  std::optional<uint64_t> filesz;  // bytes, 0 = never rotate
  std::string expire_after;        // kept as text; see parse_expire_after
  std::string host;
  std::optional<bool> dist;
  std::optional<int> qsize;
  std::vector<std::string> unknown_fields;  // names OpenBSM would ignore
  // The line each single-valued field was taken from (0 when not given).
  std::vector<std::pair<std::string, int>> field_lines;
  int line_of(std::string_view field) const;
};

// One thing a checker reports about a configuration: a stable name for the
// rule ("filesz-below-minimum"), how bad it is, the 1-based line it concerns
// (0 when it is about the file as a whole) and one sentence.
struct Finding {
  enum class Severity : uint8_t { Warning, Error };
  Severity severity = Severity::Warning;
  std::string name;
  int line = 0;
  std::string message;
};

// Parses audit_control(5) text; errors name line and field. A field given
// twice keeps its first value (as OpenBSM's getac* read top-down), except
// dir, which collects every line.
Result<AuditControl> parse_audit_control(std::string_view text, const ClassTable& classes);
// The same reading, but it goes on past bad lines: each one becomes an error
// finding (the field keeps its default), and ignored lines (a field given
// again, an unknown field) become warnings. For checkers, not for daemons.
AuditControl read_audit_control(std::string_view text, const ClassTable& classes, std::vector<Finding>& findings);

// A size with an optional B/K/M/G suffix (powers of 1024): "2M" -> 2097152.
Result<uint64_t> parse_byte_size(std::string_view text);

// expire-after: an age (s/h/d/y), a total size (B/K/M/G), or both joined by
// AND (both must hold) or OR (either suffices): `60d`, `1y OR 500M`.
struct ExpireAfter {
  enum class Join : uint8_t { None, And, Or };
  std::optional<uint64_t> age_seconds;
  std::optional<uint64_t> size_bytes;
  Join join = Join::None;
  bool operator==(const ExpireAfter&) const = default;
};
Result<ExpireAfter> parse_expire_after(std::string_view text);

// The smallest filesz auditd accepts (OpenBSM's kernels refuse less).
inline constexpr uint64_t kMinimumFilesz = 512 * 1024;

// What a careful administrator should know about a parsed configuration:
// risks to volume, disk space and availability, each with the line of the
// field it concerns. Pure: the file system is not consulted (see
// auditconf's checker for dirs that do not exist). Empty = fine.
std::vector<Finding> advise(const AuditControl& control);

// passwd/group names. `from_files` reads passwd(5)/group(5) text files (a
// trail copied off another host resolves as that host did); `system` uses
// getpwuid_r/getgrgid_r. Both cache every answer, found or not.
class Accounts {
 public:
  virtual ~Accounts() = default;
  virtual std::optional<std::string_view> user_name(uint32_t uid) = 0;
  virtual std::optional<std::string_view> group_name(uint32_t gid) = 0;
  virtual std::optional<uint32_t> user_id(std::string_view name) = 0;
  virtual std::optional<uint32_t> group_id(std::string_view name) = 0;

  static std::unique_ptr<Accounts> system();
  // Either path may be empty: that side then falls back to the system.
  static Result<std::unique_ptr<Accounts>> from_files(const std::string& passwd_path, const std::string& group_path);
};

// Where the tables come from. `root` reads ROOT/etc/passwd, ROOT/etc/group,
// ROOT/etc/security/audit_event, ROOT/etc/security/audit_class; single-file
// options override one file each. With nothing given: /etc/security/* when
// present, the built-in tables otherwise; passwd/group from the system.
struct TableOptions {
  std::string root;
  std::string passwd;
  std::string group;
  std::string audit_event;
  std::string audit_class;
};

struct TableSet {
  std::shared_ptr<const ClassTable> classes;
  std::shared_ptr<const EventTable> events;
  std::shared_ptr<Accounts> accounts;
};

// Errors name the file that failed to open or parse.
Result<TableSet> load_tables(const TableOptions& options);

}  // namespace bullion::tables
