#include "bullion/live/stop_signals.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace bullion::live {
namespace {

std::atomic<LiveSource*> g_source{nullptr};
volatile sig_atomic_t g_timed_out = 0;

void on_stop_signal(int signal_number) {
  if (signal_number == SIGALRM) g_timed_out = 1;
  if (LiveSource* source = g_source.load()) source->request_stop();
}

}  // namespace

StopOnSignals::StopOnSignals(LiveSource& source, unsigned timeout_seconds) {
  g_timed_out = 0;
  g_source = &source;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGALRM, &action, nullptr);
  if (timeout_seconds > 0) alarm(timeout_seconds);
}

StopOnSignals::~StopOnSignals() {
  alarm(0);
  g_source = nullptr;
}

bool StopOnSignals::timed_out() const { return g_timed_out != 0; }

}  // namespace bullion::live
