7
5Z3
text/plainh"devices/client-0/will*gone