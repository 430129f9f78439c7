// auditconf advise: volumes per class and event from a sample trail, and
// what a configuration would keep of it.
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "auditconf.h"
#include "bullion/pipeline/read.h"
#include "bullion/text/json_writer.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/tool_support.h"
#include "bullion/trail/volume.h"

namespace auditconf {

namespace {

namespace tables = bullion::tables;
namespace trail = bullion::trail;

constexpr double kSecondsPerDay = 86400.0;

// The sample: every record counted; damage goes to the reporter.
class SampleSink final : public bullion::bsm::RecordSink {
 public:
  SampleSink(trail::VolumeSample& sample, bullion::tools::Reporter& reporter) : sample_(sample), reporter_(reporter) {}
  bullion::bsm::Flow record(const bullion::bsm::RecordView& r) override {
    if (!r.is_file_token && !sample_.add(r.bytes)) ++undecodable;
    return bullion::bsm::Flow::Continue;
  }
  void damage(const bullion::Error& error) override { reporter_.damage(error); }
  uint64_t undecodable = 0;

 private:
  trail::VolumeSample& sample_;
  bullion::tools::Reporter& reporter_;
};
using Json = bullion::text::JsonWriter<std::string>;

std::string human_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, kUnits[unit]);
}

// "--disk 20G" or "--disk 20G:12G" (size, then free; free defaults to all).
std::optional<trail::SpaceInfo> parse_disk(const std::string& text) {
  const size_t colon = text.find(':');
  auto size = tables::parse_byte_size(text.substr(0, colon));
  if (!size) return std::nullopt;
  uint64_t free = *size;
  if (colon != std::string::npos) {
    auto parsed = tables::parse_byte_size(text.substr(colon + 1));
    if (!parsed || *parsed > *size) return std::nullopt;
    free = *parsed;
  }
  return trail::SpaceInfo{1, *size, free};
}

struct Control {
  std::string path;  // empty: none found
  tables::AuditControl control;
};

// The given --control, else the host's (or --root's) audit_control when
// there is one; none is fine (no projection then).
std::optional<std::string> load_control(const Options& options, const tables::ClassTable& classes, Control& out) {
  const bool explicit_path = !options.control.empty();
  out.path = explicit_path ? options.control : security_path(options, "audit_control");
  auto text = read_text(out.path);
  if (!text) {
    if (explicit_path) return text.error().message;
    out.path.clear();
    return std::nullopt;
  }
  auto control = tables::parse_audit_control(*text, classes);
  if (!control) return out.path + ": " + control.error().message;
  out.control = *control;
  return std::nullopt;
}

void print_rates(const trail::VolumeAdvice& advice, std::string& out) {
  out += fmt::format("sample: {} records, {} over {:.2f} days\n\n", advice.sample.records,
                     human_bytes(static_cast<double>(advice.sample.bytes)), advice.span_days);
  out += fmt::format("{:<6} {:<32} {:>14} {:>12}\n", "class", "description", "records/day", "bytes/day");
  for (const trail::ClassRate& c : advice.classes) {
    std::string description;
    bullion::tools::append_terminal_safe(description, c.description);
    out +=
        fmt::format("{:<6} {:<32} {:>14.1f} {:>12}\n", c.name, description, c.rate.records, human_bytes(c.rate.bytes));
  }
  out += fmt::format("\n{:<32} {:>14} {:>12}\n", "event", "records/day", "bytes/day");
  for (const trail::EventRate& e : advice.events) {
    std::string name;
    bullion::tools::append_terminal_safe(name, e.name);
    out += fmt::format("{:<32} {:>14.1f} {:>12}\n", name, e.rate.records, human_bytes(e.rate.bytes));
  }
}

void print_projection(const Control& control, const trail::Projection& p, const tables::ClassTable& classes,
                      std::string& out) {
  std::string path;
  bullion::tools::append_terminal_safe(path, control.path.empty() ? std::string("(no audit_control)") : control.path);
  out += fmt::format("\n{}: flags {}, naflags {}\n", path, tables::format_class_flags(p.flags, classes),
                     tables::format_class_flags(p.naflags, classes));
  out += fmt::format("  daily volume     {}/day ({:.1f} records/day)\n", human_bytes(p.daily.bytes), p.daily.records);
  if (p.trails_per_day) {
    out += fmt::format("  trails per day   {:.2f} at filesz {}\n", *p.trails_per_day,
                       human_bytes(static_cast<double>(p.filesz)));
  } else {
    out += "  trails per day   - (filesz 0: one trail grows without bound)\n";
  }
  if (p.days_kept) {
    out += fmt::format("  expire-after     keeps {:.1f} days\n", *p.days_kept);
  } else {
    out += "  expire-after     - (not set: trails are kept forever)\n";
  }
  std::string dir;
  bullion::tools::append_terminal_safe(dir, p.dir);
  if (!p.space) {
    out += "  minfree          - (no file system to measure)\n";
  } else if (p.bounded_by_expiry) {
    out +=
        fmt::format("  {:<17}never reached on {} ({} of {} free): expire-after caps the trails\n",
                    fmt::format("minfree {}%", p.minfree), dir, human_bytes(static_cast<double>(p.space->free_bytes())),
                    human_bytes(static_cast<double>(p.space->total_bytes())));
  } else if (p.days_to_minfree) {
    out += fmt::format("  {:<17}reached in {:.1f} days on {} ({} of {} free)\n", fmt::format("minfree {}%", p.minfree),
                       *p.days_to_minfree, dir, human_bytes(static_cast<double>(p.space->free_bytes())),
                       human_bytes(static_cast<double>(p.space->total_bytes())));
  } else {
    out += fmt::format("  {:<17}never reached on {}: nothing is kept\n", fmt::format("minfree {}%", p.minfree), dir);
  }
}

void rate_json(Json& w, const trail::DailyRate& rate) {
  w.raw_field("records_per_day", fmt::format("{:.3f}", rate.records));
  w.raw_field("bytes_per_day", fmt::format("{:.3f}", rate.bytes));
}

void optional_json(Json& w, std::string_view key, const std::optional<double>& value) {
  w.raw_field(key, value ? fmt::format("{:.3f}", *value) : std::string("null"));
}

void print_json(const trail::VolumeAdvice& advice, const Control& control, const tables::ClassTable& classes,
                std::string& out) {
  Json w(out);
  auto top = w.object();
  {
    auto sample = w.object("sample");
    w.field("records", advice.sample.records);
    w.field("bytes", advice.sample.bytes);
    w.raw_field("days", fmt::format("{:.6f}", advice.span_days));
  }
  {
    auto list = w.array("classes");
    for (const trail::ClassRate& c : advice.classes) {
      auto item = w.object();
      w.string_field("class", c.name);
      w.string_field("description", c.description);
      w.field("mask", c.mask);
      rate_json(w, c.rate);
    }
  }
  {
    auto list = w.array("events");
    for (const trail::EventRate& e : advice.events) {
      auto item = w.object();
      w.field("event", e.event);
      w.string_field("name", e.name);
      w.field("class_mask", e.class_mask);
      rate_json(w, e.rate);
    }
  }
  if (!advice.projection) return;
  const trail::Projection& p = *advice.projection;
  auto projection = w.object("projection");
  w.string_field("audit_control", control.path);
  w.string_field("flags", tables::format_class_flags(p.flags, classes));
  w.string_field("naflags", tables::format_class_flags(p.naflags, classes));
  rate_json(w, p.daily);
  w.field("filesz", p.filesz);
  optional_json(w, "trails_per_day", p.trails_per_day);
  optional_json(w, "days_kept", p.days_kept);
  w.string_field("dir", p.dir);
  w.field("minfree", p.minfree);
  if (p.space) {
    w.field("fs_bytes", p.space->total_bytes());
    w.field("fs_free_bytes", p.space->free_bytes());
  }
  optional_json(w, "days_to_minfree", p.days_to_minfree);
  w.bool_field("bounded_by_expiry", p.bounded_by_expiry);
}

int fail(const std::string& why) {
  std::string out = "auditconf: ";
  bullion::tools::append_terminal_safe(out, why);
  std::fprintf(stderr, "%s\n", out.c_str());
  return kExitFailure;
}

}  // namespace

int advise(const Options& options) {
  auto loaded = bullion::tools::load_tables_or_report("auditconf", options.tables);
  if (!loaded) return kExitFailure;
  const tables::ClassTable& classes = *loaded->classes;
  tables::PreselectMask add;
  if (!options.add.empty()) {
    auto parsed = tables::parse_class_flags(options.add, classes);
    if (!parsed) return fail("--add: " + parsed.error().message), kExitUsage;
    add = *parsed;
  }
  std::optional<trail::SpaceInfo> disk;
  if (!options.disk.empty() && !(disk = parse_disk(options.disk))) {
    return fail("--disk wants SIZE or SIZE:FREE (B/K/M/G), free not above size"), kExitUsage;
  }
  Control control;
  if (auto why = load_control(options, classes, control)) return fail(*why);

  trail::VolumeSample sample;
  bullion::tools::Reporter reporter("auditconf");
  SampleSink sink(sample, reporter);
  bullion::pipeline::read_inputs(options.trails, sink);
  const uint64_t undecodable = sink.undecodable;
  if (sample.total().records == 0) return fail("no records in the sample");
  const double span_days = options.days > 0 ? options.days : sample.span_seconds() / kSecondsPerDay;
  if (!(span_days > 0)) return fail("the sample's records all carry the same second: give --days");

  trail::VolumeAdvice advice = trail::rate_sample(sample, span_days, *loaded->events, classes);
  if (!control.path.empty() || !options.add.empty()) {
    std::optional<trail::SpaceInfo> space = disk;
    if (!space && !control.control.dirs.empty()) {
      if (auto probed = trail::SpaceProbe::system().probe(control.control.dirs.front())) space = *probed;
    }
    advice.projection = trail::project(sample, span_days, *loaded->events, control.control, add, space);
  }
  std::string out;
  if (options.json) {
    print_json(advice, control, classes, out);
    out += '\n';
  } else {
    print_rates(advice, out);
    if (advice.projection) print_projection(control, *advice.projection, classes, out);
  }
  std::fputs(out.c_str(), stdout);
  if (undecodable > 0) {
    std::fprintf(stderr, "auditconf: %llu records did not decode and are not counted\n",
                 static_cast<unsigned long long>(undecodable));
  }
  return reporter.clean() && undecodable == 0 ? kExitOk : kExitFailure;
}

}  // namespace auditconf
