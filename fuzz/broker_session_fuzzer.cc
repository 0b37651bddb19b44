// Fuzz target: whole MQTT sessions of the grammar (fuzz/mqtt_session.proto,
// Session) played against the I/O-free broker in virtual time by
// fuzz/broker_session_driver.h, whose oracles judge every run; a violation
// aborts with its description.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/broker_session_driver.h"
#include "fuzz/mqtt_session.pb.h"
#include "src/libfuzzer/libfuzzer_macro.h"

DEFINE_BINARY_PROTO_FUZZER(const mqlab::fuzz::Session& session) {
  const std::string violation = mqlab::fuzz::RunSession(session);
  if (!violation.empty()) {
    std::fprintf(stderr, "broker_session: %s\n", violation.c_str());
    std::abort();
  }
}
