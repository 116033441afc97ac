#Q.3 Write a python code to create a process using the multiprocessing module.
import multiprocessing
import time

def print_numbers():
    for i in range(1, 6):
        print(f"Number: {i}")
        time.sleep(1)  # Simulate a time-consuming task

if __name__ == "__main__":
    # Create a new process
    process = multiprocessing.Process(target=print_numbers)

    # Start the process
    process.start()

    # Wait for the process to complete
    process.join()

    print("Process has finished execution")
