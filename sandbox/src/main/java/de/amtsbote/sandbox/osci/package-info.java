/**
 * TODO
 */
package de.amtsbote.sandbox.osci;
