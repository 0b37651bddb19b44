// Builds a session's behaviours from its population's list (scenario.proto):
// each with its own random stream "behaviour/<client name>/<session>/<i>",
// started `start_after` the session's first connection. Behaviours that act
// for the whole client (client_deletion, session_takeover) go to its first
// session only; a limit prober makes its session a probing one.
#ifndef MQLAB_SIM_BEHAVIOURS_BEHAVIOUR_FACTORY_H_
#define MQLAB_SIM_BEHAVIOURS_BEHAVIOUR_FACTORY_H_

#include "absl/status/status.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {

// INVALID_ARGUMENT (naming the population and behaviour) for a behaviour
// the fleet cannot carry out: a takeover of a session that is not the
// fleet's, a command requester whose target population is empty, ...
absl::Status AttachBehaviours(VirtualSession& session);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_BEHAVIOUR_FACTORY_H_
