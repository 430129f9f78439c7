#include "bullion/view/view_json.h"

#include <algorithm>
#include <cstring>

#include "bullion/bsm/errno.h"
#include "bullion/text/json_writer.h"

namespace bullion::view {
namespace {

using tools::ProcessNode;
using tools::ProcessRef;

// Pieces are handed on once they reach this size.
constexpr size_t kPieceBytes = 1 << 16;

class DocumentWriter {
 public:
  DocumentWriter(const ProcessModel& model, const std::function<void(std::string_view)>& emit)
      : model_(model), emit_(emit), json_(buffer_) {}

  void write(const DocumentInfo& info) {
    auto document = json_.object();
    json_.field("auditview", 1);
    header(info);
    histogram();
    {
      auto list = json_.array("processes");
      for (ProcessRef ref = 1; ref <= model_.table().last_ref(); ++ref) {
        process(*model_.table().node(ref), model_.activity(ref));
        maybe_emit();
      }
    }
  }

  void finish() {
    make_script_safe(buffer_);
    emit_(buffer_);
    buffer_.clear();
  }

 private:
  void maybe_emit() {
    if (buffer_.size() >= kPieceBytes) finish();
  }

  void header(const DocumentInfo& info) {
    {
      std::vector<std::string_view> inputs(info.inputs.begin(), info.inputs.end());
      json_.string_list_field("inputs", inputs);
    }
    json_.field("records", model_.records());
    if (model_.has_time()) {
      json_.field("first_ms", model_.first_ms());
      json_.field("last_ms", model_.last_ms());
    }
    json_.field("processes_total", model_.table().size());
    json_.field("non_attributable_records", model_.non_attributable());
    json_.field("untracked_processes", model_.table().untracked_processes());
    json_.field("untracked_records", model_.table().untracked_records());
    json_.field("memory_refusals", model_.memory_refusals());
    json_.field("damage_count", model_.damage_count());
    {
      auto list = json_.array("damage");
      for (const DamageNote& d : model_.damage()) {
        auto note = json_.object();
        json_.string_field("source", d.source);
        json_.string_field("message", d.message);
      }
    }
    {
      auto list = json_.array("input_notes");
      for (const DamageNote& d : model_.notes()) {
        auto note = json_.object();
        json_.string_field("source", d.source);
        json_.string_field("message", d.message);
      }
    }
    const ViewLimits& l = model_.limits();
    auto limits = json_.object("limits");
    json_.field("max_processes", l.max_processes);
    json_.field("max_commands", l.max_commands);
    json_.field("max_argv_bytes", l.max_argv_bytes);
    json_.field("max_files", l.max_files);
    json_.field("max_peers", l.max_peers);
    json_.field("max_failure_paths", l.max_failure_paths);
    json_.field("max_memory_bytes", l.max_memory_bytes);
  }

  void histogram() {
    const Histogram& h = model_.histogram();
    auto object = json_.object("histogram");
    json_.field("origin_ms", h.origin_ms());
    json_.field("width_ms", h.width_ms());
    auto counts = json_.array("counts");
    for (size_t i = 0; i < h.used(); ++i) json_.element(h.count(i));
  }

  std::string user_name(uint32_t uid) const {
    if (auto name = model_.tables().accounts->user_name(uid)) return std::string(*name);
    return {};
  }

  void uid_fields(std::string_view key, std::string_view name_key, uint32_t uid) {
    json_.field(key, uid);
    const std::string name = user_name(uid);
    if (!name.empty()) json_.string_field(name_key, name);
  }

  void process(const ProcessNode& node, const ProcessActivity& a) {
    auto object = json_.object();
    json_.field("id", node.ref);
    json_.field("pid", node.pid);
    json_.field("parent", node.parent);
    json_.string_field("origin", tools::origin_word(node.origin));
    json_.field("start_ms", node.start_ms);
    json_.string_field("ending", tools::ending_word(node.ending));
    if (node.ending != tools::Ending::Running) json_.field("end_ms", node.end_ms);
    if (node.has_serial) json_.field("serial", node.serial);
    if (a.has_exit_status) json_.field("exit_status", a.exit_status);
    if (!node.program.empty()) json_.string_field("program", node.program);
    if (const CommandRun* run = last_started(a)) {
      std::vector<std::string_view> argv(run->argv.begin(), run->argv.end());
      json_.string_list_field("argv", argv);
    }
    if (a.has_user) {
      uid_fields("uid", "user", a.euid);
      uid_fields("ruid", "real_user", a.ruid);
      uid_fields("auid", "audit_user", a.auid);
      if (!a.later_euids.empty()) {
        auto list = json_.array("later_uids");
        for (uint32_t uid : a.later_euids) json_.element(uid);
      }
    }
    json_.field("records", a.records.count);
    if (a.records.count > 0) {
      json_.field("first_ms", a.records.first_ms);
      json_.field("last_ms", a.records.last_ms);
    }
    commands(a);
    files(a);
    peers(a);
    failures(a);
  }

  // The program the process runs, as started: its last successful exec or
  // the spawn that made it.
  static const CommandRun* last_started(const ProcessActivity& a) {
    for (auto it = a.commands.rbegin(); it != a.commands.rend(); ++it) {
      if (it->succeeded && !it->argv.empty()) return &*it;
    }
    return nullptr;
  }

  void error_fields(uint8_t bsm_errno) {
    const std::string_view name = bsm::bsm_errno_name(bsm_errno);
    json_.field("errno", bsm_errno);
    if (!name.empty()) json_.string_field("error", name);
    if (auto local = bsm::bsm_to_local_errno(bsm_errno)) json_.string_field("error_text", std::strerror(*local));
  }

  void event_list(const std::vector<std::pair<uint16_t, uint32_t>>& events) {
    auto list = json_.array("events");
    for (const auto& [event, count] : events) {
      auto item = json_.object();
      json_.string_field("event", event == 0 ? std::string("other") : event_name(event));
      json_.field("count", count);
    }
  }

  std::string event_name(uint16_t event) const { return tools::event_short_name(*model_.tables().events, event); }

  void commands(const ProcessActivity& a) {
    {
      auto list = json_.array("commands");
      for (const CommandRun& run : a.commands) {
        auto item = json_.object();
        json_.field("ms", run.ms);
        json_.string_field("event", event_name(run.event));
        if (!run.path.empty()) json_.string_field("path", run.path);
        std::vector<std::string_view> argv(run.argv.begin(), run.argv.end());
        json_.string_list_field("argv", argv);
        if (run.argv_omitted) json_.field("argv_omitted", run.argv_omitted);
        if (!run.succeeded) error_fields(run.bsm_errno);
      }
    }
    if (a.commands_omitted) json_.field("commands_omitted", a.commands_omitted);
  }

  void files(const ProcessActivity& a) {
    std::vector<const std::pair<const std::string, FileUse>*> sorted;
    sorted.reserve(a.files.size());
    for (const auto& entry : a.files) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(), [](const auto* x, const auto* y) {
      return x->second.first_ms != y->second.first_ms ? x->second.first_ms < y->second.first_ms : x->first < y->first;
    });
    {
      auto list = json_.array("files");
      for (const auto* entry : sorted) {
        const FileUse& use = entry->second;
        auto item = json_.object();
        json_.string_field("path", entry->first);
        for (size_t k = 0; k < FileUse::kKinds; ++k) {
          if (use.counts[k]) json_.field(file_kind_word(static_cast<FileUse::Kind>(k)), use.counts[k]);
        }
        json_.field("first_ms", use.first_ms);
        json_.field("last_ms", use.last_ms);
        if (!use.renamed_to.empty()) json_.string_field("renamed_to", use.renamed_to);
      }
    }
    if (a.file_events_omitted) json_.field("file_events_omitted", a.file_events_omitted);
  }

  void peers(const ProcessActivity& a) {
    std::vector<const PeerUse*> sorted;
    for (const auto& [key, peer] : a.peers) sorted.push_back(&peer);
    std::sort(sorted.begin(), sorted.end(), [](const PeerUse* x, const PeerUse* y) {
      if (x->tally.first_ms != y->tally.first_ms) return x->tally.first_ms < y->tally.first_ms;
      return std::tie(x->family, x->address, x->port) < std::tie(y->family, y->address, y->port);
    });
    {
      auto list = json_.array("peers");
      for (const PeerUse* peer : sorted) {
        auto item = json_.object();
        json_.string_field("family", peer->family);
        json_.string_field("address", peer->address);
        json_.field("port", peer->port);
        json_.field("count", peer->tally.count);
        if (peer->failed) json_.field("failed", peer->failed);
        json_.field("first_ms", peer->tally.first_ms);
        json_.field("last_ms", peer->tally.last_ms);
        event_list(peer->events);
      }
    }
    if (a.peer_events_omitted) json_.field("peer_events_omitted", a.peer_events_omitted);
  }

  void failures(const ProcessActivity& a) {
    std::vector<const FailureGroup*> sorted;
    for (const FailureGroup& g : a.failures) sorted.push_back(&g);
    std::sort(sorted.begin(), sorted.end(), [](const FailureGroup* x, const FailureGroup* y) {
      return x->tally.count != y->tally.count ? x->tally.count > y->tally.count : x->bsm_errno < y->bsm_errno;
    });
    auto list = json_.array("failures");
    for (const FailureGroup* g : sorted) {
      auto item = json_.object();
      error_fields(g->bsm_errno);
      json_.field("count", g->tally.count);
      json_.field("first_ms", g->tally.first_ms);
      json_.field("last_ms", g->tally.last_ms);
      event_list(g->events);
      std::vector<std::string_view> paths(g->paths.begin(), g->paths.end());
      json_.string_list_field("paths", paths);
      if (g->more_paths) json_.field("more_paths", g->more_paths);
    }
  }

  const ProcessModel& model_;
  const std::function<void(std::string_view)>& emit_;
  std::string buffer_;
  text::JsonWriter<std::string> json_;
};

}  // namespace

void write_view_json(const ProcessModel& model, const DocumentInfo& info,
                     const std::function<void(std::string_view)>& emit) {
  DocumentWriter writer(model, emit);
  writer.write(info);
  writer.finish();
}

void make_script_safe(std::string& json) {
  std::string out;
  size_t done = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    std::string_view escape;
    size_t length = 1;
    if (c == '<') {
      escape = "\\u003c";
    } else if (c == '>') {
      escape = "\\u003e";
    } else if (c == '&') {
      escape = "\\u0026";
    } else if (c == '\xe2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xa8' || json[i + 2] == '\xa9')) {
      escape = json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      length = 3;
    } else {
      continue;
    }
    out.append(json, done, i - done);
    out += escape;
    i += length - 1;
    done = i + 1;
  }
  if (done == 0) return;
  out.append(json, done, std::string::npos);
  json.swap(out);
}

}  // namespace bullion::view
