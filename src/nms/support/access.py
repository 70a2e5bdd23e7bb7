"""What a scope may see and do in the app support."""
