"""The checks: each turns an essay into findings plus a summary; none renders anything."""
