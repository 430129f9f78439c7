// What an audit event means to the hand tools: a process starting a program,
// a process creating another, a process ending, or a kind of file access.
// Built once from the event table's AUE_ names, so a site's own audit_event
// numbering is honoured; lookups are one array index per record.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bullion/tables.h"

namespace bullion::tools {

// One row per kind: enum name, word shown to users. Fork-like events carry
// the child pid; Spawn (posix_spawn) both creates a child and runs a program.
#define BULLION_EVENT_KINDS(X) \
  X(Other, "other")            \
  X(Exec, "exec")              \
  X(Spawn, "spawn")            \
  X(Fork, "fork")              \
  X(Exit, "exit")              \
  X(Open, "open")              \
  X(Read, "read")              \
  X(Write, "write")            \
  X(Close, "close")            \
  X(Create, "create")          \
  X(Delete, "delete")          \
  X(Rename, "rename")          \
  X(Access, "access")          \
  X(Readlink, "readlink")

enum class EventKind : uint8_t {
#define X(name, word) name,
  BULLION_EVENT_KINDS(X)
#undef X
};

std::string_view event_kind_word(EventKind kind);
// "open" -> Open; Other for unknown words.
EventKind event_kind_from_word(std::string_view word);
// The kind an AUE_ name belongs to (Other when none).
EventKind event_kind_of_name(std::string_view aue_name);

// An event's own name for people: its AUE_ name without the prefix, in
// lower case ("chmod", "open_r", "sudo"), or the number when the table has
// no entry for it.
std::string event_short_name(const tables::EventTable& events, uint16_t event);

class EventKinds {
 public:
  explicit EventKinds(const tables::EventTable& events);
  EventKind of(uint16_t event) const { return kinds_[event]; }
  // Programs started by this event: exec and posix_spawn.
  bool starts_program(uint16_t event) const { return of(event) == EventKind::Exec || of(event) == EventKind::Spawn; }
  // A new process whose pid the record carries: fork family and posix_spawn.
  bool creates_process(uint16_t event) const { return of(event) == EventKind::Fork || of(event) == EventKind::Spawn; }

 private:
  std::array<EventKind, 65536> kinds_{};
};

}  // namespace bullion::tools
