"""Space and time together: emerging hot spots, near repeats (Knox), temporal profiles, area comparison."""
