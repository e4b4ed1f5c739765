-- The project's own tables live next to Dagster's, in a database of their own.
CREATE DATABASE bridge OWNER dagster;
