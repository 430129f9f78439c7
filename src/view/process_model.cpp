#include "bullion/view/process_model.h"

#include <algorithm>

#include "text/numbers.h"

namespace bullion::view {
namespace {

using tools::EventKind;

constexpr std::string_view kFileKindWords[] = {"read",   "write", "create", "delete",
                                               "rename", "exec",  "other",  "failed"};

// How many (event, count) pairs a peer or failure group keeps; the rest are
// added to the last pair's event 0 ("other events").
constexpr size_t kEventKinds = 8;

void count_event(std::vector<std::pair<uint16_t, uint32_t>>& events, uint16_t event) {
  for (auto& [e, n] : events) {
    if (e == event) return void(++n);
  }
  if (events.size() < kEventKinds) return void(events.emplace_back(event, 1));
  for (auto& [e, n] : events) {
    if (e == 0) return void(++n);
  }
  events.back() = {0, events.back().second + 1};  // folds the last kind into "other"
}

// O_ACCMODE is the same on BSD, macOS and Linux: 0 read, 1 write, 2 both.
uint64_t open_flags(const bsm::RecordFacts& f) {
  return (f.arg_present & (1u << 1)) ? f.args[1] : 0;  // argument 2: "flags"
}

std::string socket_address_text(const bsm::RecordFacts& f, bool& remote) {
  const bsm::SocketAddress& s = f.socket;
  std::string text;
  const bool use_remote =
      s.has_remote && (s.remote_port != 0 || std::any_of(std::begin(s.remote_addr), std::end(s.remote_addr),
                                                         [](uint8_t b) { return b != 0; }));
  remote = use_remote;
  const uint8_t* addr = use_remote ? s.remote_addr : s.addr;
  if (s.addr_type == 16)
    text::append_ipv6(text, addr);
  else
    text::append_ipv4(text, addr);
  return text;
}

}  // namespace

std::string_view file_kind_word(FileUse::Kind kind) { return kFileKindWords[kind]; }

void Tally::add(uint64_t ms) {
  if (count++ == 0 || ms < first_ms) first_ms = ms;
  if (ms > last_ms) last_ms = ms;
}

ProcessModel::ProcessModel(const tables::TableSet& tables, ViewLimits limits)
    : tables_(tables),
      limits_(limits),
      kinds_(*tables.events),
      table_(kinds_, {.keep_ended = true, .track_every_pid = true, .max_processes = limits.max_processes}),
      open_modes_(65536, OpenMode::None) {
  // AUE_OPEN_R, AUE_OPENAT_RWTC ...: the letters after the last '_' say how
  // the file was opened (R read, W write, T truncate, C create).
  for (const auto& entry : tables.events->entries()) {
    std::string_view name = entry.name;
    if (!name.starts_with("AUE_OPEN")) continue;
    const size_t underscore = name.rfind('_');
    const std::string_view letters = name.substr(underscore + 1);
    if (letters.find_first_not_of("RWTC") != std::string_view::npos) continue;
    const bool read = letters.find('R') != std::string_view::npos;
    const bool write = letters.find_first_of("WT") != std::string_view::npos;
    open_modes_[entry.number] = read && write ? OpenMode::ReadWrite : write ? OpenMode::Write : OpenMode::Read;
  }
}

// What a kept entry costs besides its text: the container's node, the
// string header, the counters (an estimate on 64-bit libstdc++).
constexpr size_t kEntryBytes = 128;

bool ProcessModel::take_memory(size_t bytes) {
  if (memory_bytes_ + bytes > limits_.max_memory_bytes) {
    ++memory_refusals_;
    return false;
  }
  memory_bytes_ += bytes;
  return true;
}

void ProcessModel::add_damage(std::string_view source, std::string_view message) {
  ++damage_count_;
  if (damage_.size() < limits_.max_damage) damage_.push_back({std::string(source), std::string(message)});
}

void ProcessModel::add_note(std::string_view source, std::string_view message) {
  if (notes_.size() < limits_.max_damage) notes_.push_back({std::string(source), std::string(message)});
}

void ProcessModel::add(const bsm::RecordFacts& facts) {
  const uint64_t ms = tools::record_time_ms(facts);
  if (records_++ == 0) first_ms_ = last_ms_ = ms;
  first_ms_ = std::min(first_ms_, ms);
  last_ms_ = std::max(last_ms_, ms);
  histogram_.add(ms);
  const tools::ProcessStep step = table_.observe(facts);
  if (!facts.has_subject) {
    ++non_attributable_;
    return;
  }
  if (step.actor == 0) return;  // past max_processes: counted by the table
  activities_.resize(table_.last_ref());
  ProcessActivity& actor = activities_[step.actor - 1];
  actor.records.add(ms);
  note_user(actor, facts.subject);
  if (step.child) {
    ProcessActivity& child = activities_[step.child - 1];
    note_user(child, facts.subject);  // a child starts with its parent's credentials
    if (step.kind == EventKind::Spawn) add_command(child, facts, ms);
  }
  // Every record with exec arguments is a command of its subject (sudo, su,
  // login ...), except a spawn's: those belong to the child it made.
  const bool spawned = step.kind == EventKind::Spawn && step.child;
  if (step.kind == EventKind::Exec || (facts.exec_argc > 0 && !spawned)) add_command(actor, facts, ms);
  if (facts.has_exit) {
    actor.has_exit_status = true;
    actor.exit_status = facts.exit_status;
  }
  if (facts.path_count > 0) add_files(spawned ? activities_[step.child - 1] : actor, facts, step.kind, ms);
  if (facts.has_socket) add_peer(actor, facts, ms);
  if (!step.succeeded) add_failure(actor, facts, ms);
}

void ProcessModel::note_user(ProcessActivity& a, const bsm::Subject& s) {
  if (!a.has_user) {
    a.has_user = true;
    a.euid = s.euid;
    a.ruid = s.ruid;
    a.auid = s.auid;
    return;
  }
  if (s.euid == a.euid) return;
  if (std::find(a.later_euids.begin(), a.later_euids.end(), s.euid) != a.later_euids.end()) return;
  if (a.later_euids.size() < 4) a.later_euids.push_back(s.euid);
}

void ProcessModel::add_command(ProcessActivity& a, const bsm::RecordFacts& f, uint64_t ms) {
  if (a.commands.size() >= limits_.max_commands) {
    ++a.commands_omitted;
    return;
  }
  CommandRun run;
  run.ms = ms;
  run.event = f.event;
  run.succeeded = tools::succeeded(f);
  run.bsm_errno = f.return_errno;
  if (f.path_count > 0 && take_memory(f.first_path.size() + kEntryBytes)) run.path = std::string(f.first_path);
  size_t bytes = 0;
  bsm::for_each_string(f.exec_args, f.exec_argc, [&](std::string_view arg) {
    if (run.argv_omitted > 0 || bytes + arg.size() > limits_.max_argv_bytes ||
        !take_memory(arg.size() + sizeof(std::string))) {
      ++run.argv_omitted;
      return;
    }
    bytes += arg.size();
    run.argv.emplace_back(arg);
  });
  a.commands.push_back(std::move(run));
}

FileUse::Kind ProcessModel::open_kind(const bsm::RecordFacts& f) const {
  switch (open_modes_[f.event]) {
    case OpenMode::Read:
      return FileUse::Read;
    case OpenMode::Write:
    case OpenMode::ReadWrite:
      return FileUse::Write;
    case OpenMode::None:
      break;
  }
  const uint64_t mode = open_flags(f) & 3;
  return mode == 0 ? FileUse::Read : FileUse::Write;
}

void ProcessModel::add_files(ProcessActivity& a, const bsm::RecordFacts& f, EventKind kind, uint64_t ms) {
  if (!tools::succeeded(f)) {
    bsm::for_each_path(f, [&](std::string_view p) { add_path(a, p, FileUse::Failed, ms); });
    return;
  }
  switch (kind) {
    case EventKind::Exec:
    case EventKind::Spawn:
      return add_path(a, f.first_path, FileUse::Exec, ms);
    case EventKind::Read:
      return add_path(a, f.first_path, FileUse::Read, ms);
    case EventKind::Write:
      return add_path(a, f.first_path, FileUse::Write, ms);
    case EventKind::Open:
      return add_path(a, f.last_path, open_kind(f), ms);  // given and resolved path: the resolved one
    case EventKind::Delete:
      return add_path(a, f.last_path, FileUse::Delete, ms);
    case EventKind::Create:
      // link/symlink name an existing file (or the link's text) first, then the new name.
      if (f.path_count > 1) add_path(a, f.first_path, FileUse::Other, ms);
      return add_path(a, f.last_path, FileUse::Create, ms);
    case EventKind::Rename:
      if (f.path_count > 1) {
        add_path(a, f.first_path, FileUse::Rename, ms, f.last_path);
        return add_path(a, f.last_path, FileUse::Rename, ms);
      }
      return add_path(a, f.first_path, FileUse::Rename, ms);
    case EventKind::Close:
      return;  // the open was counted; a close adds nothing to show
    default:
      return add_path(a, f.last_path, FileUse::Other, ms);
  }
}

void ProcessModel::add_path(ProcessActivity& a, std::string_view path, FileUse::Kind kind, uint64_t ms,
                            std::string_view renamed_to) {
  if (path.empty()) return;
  auto it = a.files.find(std::string(path));
  if (it == a.files.end()) {
    if (a.files.size() >= limits_.max_files || !take_memory(path.size() + kEntryBytes)) {
      ++a.file_events_omitted;
      return;
    }
    it = a.files.emplace(std::string(path), FileUse{}).first;
    it->second.first_ms = ms;
  }
  FileUse& use = it->second;
  ++use.counts[kind];
  use.first_ms = std::min(use.first_ms, ms);
  use.last_ms = std::max(use.last_ms, ms);
  if (!renamed_to.empty() && renamed_to != use.renamed_to && take_memory(renamed_to.size())) {
    use.renamed_to = std::string(renamed_to);
  }
}

void ProcessModel::add_peer(ProcessActivity& a, const bsm::RecordFacts& f, uint64_t ms) {
  bool remote = false;
  std::string family, address;
  uint16_t port = 0;
  if (f.socket.addr_type == 0) {
    family = "unix";
    address = std::string(f.socket.unix_path);
  } else {
    family = f.socket.addr_type == 16 ? "inet6" : "inet";
    address = socket_address_text(f, remote);
    port = remote ? f.socket.remote_port : f.socket.port;
  }
  std::string key = family + ' ' + address + ' ' + std::to_string(port);
  auto it = a.peers.find(key);
  if (it == a.peers.end()) {
    if (a.peers.size() >= limits_.max_peers || !take_memory(key.size() + address.size() + kEntryBytes)) {
      ++a.peer_events_omitted;
      return;
    }
    PeerUse peer;
    peer.family = std::move(family);
    peer.address = std::move(address);
    peer.port = port;
    it = a.peers.emplace(std::move(key), std::move(peer)).first;
  }
  PeerUse& peer = it->second;
  peer.tally.add(ms);
  if (!tools::succeeded(f)) ++peer.failed;
  count_event(peer.events, f.event);
}

void ProcessModel::add_failure(ProcessActivity& a, const bsm::RecordFacts& f, uint64_t ms) {
  auto it = std::find_if(a.failures.begin(), a.failures.end(),
                         [&](const FailureGroup& g) { return g.bsm_errno == f.return_errno; });
  if (it == a.failures.end()) {
    a.failures.push_back({});
    it = std::prev(a.failures.end());
    it->bsm_errno = f.return_errno;
  }
  FailureGroup& group = *it;
  group.tally.add(ms);
  count_event(group.events, f.event);
  if (f.path_count == 0) return;
  const std::string_view path = f.last_path;
  if (std::find(group.paths.begin(), group.paths.end(), path) != group.paths.end()) return;
  if (group.paths.size() < limits_.max_failure_paths && take_memory(path.size() + sizeof(std::string))) {
    group.paths.emplace_back(path);
  } else {
    ++group.more_paths;
  }
}

}  // namespace bullion::view
