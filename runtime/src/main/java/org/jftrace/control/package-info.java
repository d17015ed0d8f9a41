/**
 * How a user reaches the tracefs files of a running JVM (the kernel's mount of tracefs): a control
 * socket, a Unix domain socket only its user can open ({@link org.jftrace.control.ControlServer}),
 * whose requests read and write the files ({@code ControlRequests}), and an MBean
 * for JMX clients ({@link org.jftrace.control.TracefsControl}).
 */
package org.jftrace.control;
