// Live audit sources: the running kernel's audit stream as whole BSM records.
//
// One interface, one implementation per platform: /dev/auditpipe on FreeBSD
// and macOS (the kernel already speaks BSM), kernel audit over netlink on
// Linux (records translated to BSM by bullion::linux_audit). A source pushes
// records into a sink, like every other record source in the library; it
// knows nothing about printing.
//
// Lifecycle: open_live_source() -> start(options) -> run(sink) on one thread
// until request_stop() (from any thread or a signal handler) -> destroy.
// Every change a source makes to kernel state is undone by run() returning
// or by the destructor, whichever comes first; see docs/live.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bullion/error.h"
#include "bullion/tables.h"

namespace bullion::live {

// Classes audited for one process on top of everyone's (auditon setmask).
struct ProcessPreselection {
  uint32_t pid = 0;
  tables::PreselectMask classes;
};

struct LiveOptions {
  // Classes audited on success and on failure (parse_class_flags). On
  // auditpipe these become the pipe's preselection flags; on Linux, kernel
  // syscall rules for the events of those classes.
  tables::PreselectMask classes;
  // Preselection for events not attributable to a user (auditpipe NAFLAGS).
  // Linux has no equivalent; ignored there.
  tables::PreselectMask non_attributable;
  // Only events of processes with this login uid (tests use it so nothing
  // else on the machine is captured or slowed down).
  std::optional<uint32_t> auid;
  // Bytes of records the reader may hold while the consumer is busy; beyond
  // that, records are dropped and counted rather than stalling the kernel.
  size_t queue_bytes = 64u << 20;
  // Socket receive buffer asked of the kernel (Linux; SO_RCVBUFFORCE).
  size_t socket_buffer_bytes = 32u << 20;
  // Linux kernel backlog: records the kernel may queue before audited tasks
  // wait, and how long they wait (in clock ticks) before a record is lost.
  uint32_t backlog_limit = 16384;
  uint32_t backlog_wait_ticks = 1;
  // Also audit 32-bit programs on 64-bit kernels (separate rules).
  bool include_32bit = true;
  // The audit tables used to expand classes into events; built-in when null.
  std::shared_ptr<const tables::EventTable> events;

  // ---- for a trail daemon (bsmauditd) ----
  // Processes audited for more classes than `classes` (Linux: rules with
  // pid=, one set per process).
  std::vector<ProcessPreselection> processes;
  // The kernel's failure mode while capturing (Linux AUDIT_FAIL_*: 0 silent,
  // 1 printk, 2 panic); left as it is when unset. Put back at stop.
  std::optional<uint32_t> failure_mode;
  // When the consumer falls behind: drop and count (false), or wait for it
  // (true), so the kernel's queue fills and audited processes wait in turn
  // (BSM policy without cnt).
  bool block_when_full = false;
};

// What was captured and what was not. Every loss is also a record in the
// stream, where it happened: event AUE_LINUX_LOST (48002, "ad") with a text
// token "lost=N where=WHERE[ serials=A-B]" (subject: the collector). WHERE:
//   kernel      the kernel's `lost` counter grew (backlog full, rate limit)
//   socket      a serial gap after the netlink socket overflowed (ENOBUFS)
//   serial-gap  events whose serials never arrived (e.g. while the kernel
//               had dropped us as the audit daemon; we register again)
//   queue       records our reader queue had no room for
// The sink receives loss records whatever the classes asked for. A kernel
// loss that also leaves a serial gap (hold-queue overflow) is counted at
// both: the counts cover every event, they may count one twice.
struct LiveStats {
  uint64_t records = 0;                  // BSM records delivered to the sink (loss records included)
  uint64_t dropped = 0;                  // records the reader queue dropped (also in lost["queue"])
  uint64_t kernel_lost = 0;              // kernel `lost` counter since start (a delta)
  std::map<std::string, uint64_t> lost;  // events reported lost, by where
  uint64_t skipped = 0;                  // events not translated plus lines rejected
  uint64_t reregistered = 0;             // times we became the audit daemon again

  uint64_t lost_total() const {
    uint64_t sum = 0;
    for (const auto& [where, n] : lost) sum += n;
    return sum;
  }
};

class LiveSource {
 public:
  virtual ~LiveSource();

  // Configures the kernel and begins capture. Errc::Permission when the
  // process lacks the privilege (tools and tests report or skip on it).
  virtual Status start(const LiveOptions& options) = 0;

  using RecordSink = std::function<void(std::span<const uint8_t>)>;

  // Calls sink with whole BSM records until stop is requested or an error
  // occurs; then undoes the kernel changes made by start(). batch_done (may
  // be empty) runs after each batch of records, before the source may wait
  // for more: the place for a buffered writer to flush, so a quiet stream
  // is never held back in a buffer.
  virtual Status run(const RecordSink& sink, const std::function<void()>& batch_done) = 0;
  Status run(const RecordSink& sink) { return run(sink, {}); }

  // Async-signal-safe: only writes to a descriptor. run() returns soon after.
  virtual void request_stop() = 0;

  // New options while running (audit -s), from the thread in run() (its
  // sink or batch_done): rules the new options need are added before the
  // old ones are removed, so no record falls between the two. The queue
  // sizes keep their values. Unsupported where the source cannot.
  virtual Status reconfigure(const LiveOptions& options);

  virtual LiveStats stats() const = 0;
};

// The platform's source; Errc::Unsupported where there is none.
Result<std::unique_ptr<LiveSource>> open_live_source();

// Kernel audit as it is now (auditon status). Linux: AUDIT_GET and the
// rule list; needs CAP_AUDIT_CONTROL (Errc::Permission without).
struct KernelStatus {
  uint32_t enabled = 0;  // 0 off, 1 on, 2 locked
  uint32_t failure = 0;  // 0 silent, 1 printk, 2 panic
  uint32_t pid = 0;      // the audit daemon, 0 none
  uint32_t rate_limit = 0;
  uint32_t backlog_limit = 0;
  uint32_t backlog = 0;
  uint32_t backlog_wait_time = 0;
  uint32_t lost = 0;
  size_t rules = 0;
};
Result<KernelStatus> kernel_status();

// What start(options) would change in the kernel, without changing it:
// one line per setting, then one per rule (auditctl's spelling). For dry
// runs of configurations that could suspend or halt the machine.
Result<std::vector<std::string>> describe_kernel_plan(const LiveOptions& options);

}  // namespace bullion::live
