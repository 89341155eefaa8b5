"""The registers' fixtures live in tests/conftest.py: reporting and the kernel's tests use them too."""
