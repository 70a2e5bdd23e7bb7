"""The federal exchange files: the formats in one place and the outbound regional passport of
further professional education."""
