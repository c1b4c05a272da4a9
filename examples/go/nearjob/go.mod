module nearjob.invalid/nearjob

go 1.19
