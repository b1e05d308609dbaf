"""The Beancount boundary: load, conventions, validate, write."""
