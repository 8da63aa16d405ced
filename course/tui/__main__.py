from course.tui import run

run()
