"""Qt-free code about the platform the app runs on: desktop integration and the checks made
before Qt is imported."""
