// Reading the common name out of a certificate subject in RFC 4514 string
// form ("CN=vehicle01,O=Contoso"), the form CertificateIdentity carries.
#ifndef MQLAB_BROKER_DISTINGUISHED_NAME_H_
#define MQLAB_BROKER_DISTINGUISHED_NAME_H_

#include <optional>
#include <string>
#include <string_view>

namespace mqlab::broker {

// The value of the first CN (or 2.5.4.3) attribute of `subject`, unescaped
// ("\,", "\2C" and the other RFC 4514 escapes), or nullopt when there is none
// or the string is not RFC 4514. RFC 4514 writes the most specific RDN first,
// so with several CNs the leaf-most one wins. A value in '#' hex-BER form is
// not a name and yields nullopt.
std::optional<std::string> CommonNameOf(std::string_view subject);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_DISTINGUISHED_NAME_H_
