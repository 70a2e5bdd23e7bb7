"""Staff schedules and vacancies, diplomas and profile match, target training and young
specialists."""
