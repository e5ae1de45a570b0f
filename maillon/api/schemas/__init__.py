"""Shapes of the API's input and output, one module per router."""
