// What each process did, aggregated from a record stream for auditview:
// the process tree (from the shared process table), each process's
// commands, files, network peers and failed calls, and the activity over
// time. Memory is bounded: every list has a cap, and what a cap leaves out
// is counted, never dropped silently.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/tables.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_table.h"
#include "bullion/view/histogram.h"

namespace bullion::view {

struct ViewLimits {
  size_t max_processes = 100000;  // process nodes kept
  size_t max_commands = 16;       // exec attempts and other commands per process
  size_t max_argv_bytes = 16384;  // per command: arguments past this are counted, not kept
  size_t max_files = 256;         // distinct paths per process
  size_t max_peers = 64;          // distinct network peers per process
  size_t max_failure_paths = 4;   // example paths per error group
  // Memory for the kept lists (paths, arguments, peers, examples), each
  // entry counted with its bookkeeping; process nodes come on top.
  size_t max_memory_bytes = 256u << 20;
  size_t max_damage = 100;  // damage reports kept (all are counted)
};

// How often something happened, and when first and last.
struct Tally {
  uint64_t count = 0;
  uint64_t first_ms = 0, last_ms = 0;
  void add(uint64_t ms);
};

// A record that started a program or carried exec arguments (exec family,
// posix_spawn, sudo, su, login ...).
struct CommandRun {
  uint64_t ms = 0;
  uint16_t event = 0;
  bool succeeded = true;
  uint8_t bsm_errno = 0;
  std::string path;               // the executable (path token), may be empty
  std::vector<std::string> argv;  // as recorded, up to max_argv_bytes
  uint32_t argv_omitted = 0;      // arguments past the cap
};

// Per path: successful accesses by kind, failed attempts, first/last time.
struct FileUse {
  enum Kind : uint8_t { Read, Write, Create, Delete, Rename, Exec, Other, Failed, kKinds };
  std::array<uint32_t, kKinds> counts{};
  uint64_t first_ms = 0, last_ms = 0;
  std::string renamed_to;  // the last rename's target, when this path was the source
};
std::string_view file_kind_word(FileUse::Kind kind);

struct PeerUse {
  std::string family;  // "inet", "inet6", "unix"
  std::string address;
  uint16_t port = 0;
  Tally tally;
  uint32_t failed = 0;
  std::vector<std::pair<uint16_t, uint32_t>> events;  // event -> count (a few kinds)
};

struct FailureGroup {
  uint8_t bsm_errno = 0;
  Tally tally;
  std::vector<std::pair<uint16_t, uint32_t>> events;  // event -> count
  std::vector<std::string> paths;                     // examples
  uint64_t more_paths = 0;                            // records with a path not kept as an example
};

struct ProcessActivity {
  bool has_user = false;
  uint32_t euid = 0, ruid = 0, auid = 0;  // from its first record
  std::vector<uint32_t> later_euids;      // other effective uids seen later (a few)
  Tally records;
  bool has_exit_status = false;
  uint32_t exit_status = 0;
  std::vector<CommandRun> commands;
  uint64_t commands_omitted = 0;
  std::unordered_map<std::string, FileUse> files;
  uint64_t file_events_omitted = 0;  // file events on paths past the cap
  std::unordered_map<std::string, PeerUse> peers;
  uint64_t peer_events_omitted = 0;
  std::vector<FailureGroup> failures;  // one per error number
};

struct DamageNote {
  std::string source;   // the input's name
  std::string message;  // "offset N: why"
};

class ProcessModel {
 public:
  ProcessModel(const tables::TableSet& tables, ViewLimits limits = {});

  // One record (not a stand-alone file token).
  void add(const bsm::RecordFacts& facts);
  // Damage or an unreadable input met while reading (the tool reports it
  // on stderr too).
  void add_damage(std::string_view source, std::string_view message);
  // What an input was, worth telling (a Linux log's translation summary).
  void add_note(std::string_view source, std::string_view message);

  const tools::ProcessTable& table() const { return table_; }
  // Activity of node `ref` (1 .. table().last_ref()).
  const ProcessActivity& activity(tools::ProcessRef ref) const { return activities_[ref - 1]; }
  const Histogram& histogram() const { return histogram_; }
  const ViewLimits& limits() const { return limits_; }
  const tables::TableSet& tables() const { return tables_; }
  const std::vector<DamageNote>& damage() const { return damage_; }
  const std::vector<DamageNote>& notes() const { return notes_; }

  uint64_t records() const { return records_; }
  uint64_t damage_count() const { return damage_count_; }
  uint64_t non_attributable() const { return non_attributable_; }  // records without a subject
  uint64_t memory_refusals() const { return memory_refusals_; }
  bool has_time() const { return records_ > 0; }
  uint64_t first_ms() const { return first_ms_; }
  uint64_t last_ms() const { return last_ms_; }

 private:
  enum class OpenMode : uint8_t { None, Read, Write, ReadWrite };
  void add_command(ProcessActivity& a, const bsm::RecordFacts& f, uint64_t ms);
  void add_files(ProcessActivity& a, const bsm::RecordFacts& f, tools::EventKind kind, uint64_t ms);
  void add_path(ProcessActivity& a, std::string_view path, FileUse::Kind kind, uint64_t ms,
                std::string_view renamed_to = {});
  void add_peer(ProcessActivity& a, const bsm::RecordFacts& f, uint64_t ms);
  void add_failure(ProcessActivity& a, const bsm::RecordFacts& f, uint64_t ms);
  void note_user(ProcessActivity& a, const bsm::Subject& s);
  FileUse::Kind open_kind(const bsm::RecordFacts& f) const;
  bool take_memory(size_t bytes);

  const tables::TableSet& tables_;
  ViewLimits limits_;
  tools::EventKinds kinds_;
  tools::ProcessTable table_;
  std::vector<ProcessActivity> activities_;
  std::vector<OpenMode> open_modes_;  // per event number, from the AUE_OPEN* names
  Histogram histogram_;
  std::vector<DamageNote> damage_;
  std::vector<DamageNote> notes_;
  uint64_t records_ = 0, damage_count_ = 0, non_attributable_ = 0;
  uint64_t first_ms_ = 0, last_ms_ = 0;
  size_t memory_bytes_ = 0;
  uint64_t memory_refusals_ = 0;
};

}  // namespace bullion::view
