"""The long fuzz run (python -m fuzz): the property tests of tests/fuzz with many more, new examples."""
