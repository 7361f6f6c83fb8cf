"""How long importing 5,000 people takes: upload and read the file, show the preview, confirm.

A benchmark, not a test (the figures depend on the machine). Run it with its own database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/supportnet_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/imports.py [--people 5000] [--format vcf|csv]

It creates a throwaway test database (test_<name>), signs a user in with Django's test client and
times each step as the median of three runs, each into a fresh account.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportnet.settings")


def vcards(count):
    return "".join(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:Person {number} Example\r\nN:Example;Person {number};;;\r\n"
        f"EMAIL;TYPE=INTERNET:person{number}@example.org\r\nTEL;TYPE=CELL:+44 7700 {number:06d}\r\n"
        f"NOTE:Met at the group in {2000 + number % 25}\\, likes walks\r\nEND:VCARD\r\n"
        for number in range(count)
    ).encode()


def csv_rows(count):
    return (
        "name,email,phone,notes\r\n"
        + "".join(
            f"Person {number} Example,person{number}@example.org,+44 7700 {number:06d},Met at the group\r\n"
            for number in range(count)
        )
    ).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--format", choices=("vcf", "csv"), default="vcf")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from contacts.models import Supporter
    from privacy.models import PendingImport

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_imports_{old_name}"  # never a test run's database
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    content = vcards(arguments.people) if arguments.format == "vcf" else csv_rows(arguments.people)
    timings = {"upload and read": [], "preview page": [], "confirm": []}
    # On a shared machine wall time includes waiting for a core; this process's CPU time does not
    # (the database's own work is in its server process, counted in wall time only).
    cpu = {step: [] for step in timings}
    try:
        for run in range(arguments.runs):
            user = User.objects.create_user(email=f"bench{run}@example.org", password="x" * 20)
            client = Client()
            client.force_login(user)
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post(
                reverse("privacy:import"), {"file": SimpleUploadedFile(f"people.{arguments.format}", content)}
            )
            timings["upload and read"].append(time.perf_counter() - started)
            cpu["upload and read"].append(time.process_time() - cpu_started)
            assert response.status_code == 302, response.content[:500]
            started, cpu_started = time.perf_counter(), time.process_time()
            page = client.get(response["Location"])
            timings["preview page"].append(time.perf_counter() - started)
            cpu["preview page"].append(time.process_time() - cpu_started)
            assert page.status_code == 200
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post(response["Location"], {"support_types": ["emotional"], "circle": "middle"})
            timings["confirm"].append(time.perf_counter() - started)
            cpu["confirm"].append(time.process_time() - cpu_started)
            assert response.status_code == 302
            assert Supporter.objects.filter(owner=user).count() == arguments.people
            assert not PendingImport.objects.filter(owner=user).exists()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"{arguments.people} people, {arguments.format}, {len(content) / 1024:.0f} KB, median of {arguments.runs}:"
    )
    for step, values in timings.items():
        runs = ", ".join(f"{value:.2f}" for value in values)
        median_cpu = statistics.median(cpu[step])
        print(f"  {step:16} {statistics.median(values):6.2f} s, CPU {median_cpu:5.2f} s   (runs: {runs})")
    preview = statistics.median(timings["upload and read"]) + statistics.median(timings["preview page"])
    print(
        f"  upload + preview {preview:6.2f} s   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
