"""The roadmap of measures with statuses per reporting period, agreements and the register of the
system's documents."""
