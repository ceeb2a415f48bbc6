"""Operations: the run lock and ingestion health."""
