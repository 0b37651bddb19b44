1/0

shared/+/x (0
shared/#group