"""What reviewers and officers read: terminal tables and JSON."""
