"""Load, fault and fuzz testing of Kompas (`make soak`; short versions run in `make test`)."""
